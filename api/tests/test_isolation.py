"""The Team4Job-like coordinator (partner B) reads no record of DUO for a
JOB-like partner A through the API: 404 on every record route with every
method, nothing of A in any list, and A's ids refused as filters and as
references in a write."""

import datetime

import pytest
from django.urls import reverse

from duos.models import Duo, Meeting, Mentee

from .conftest import token_client
from .test_permissions import ROUTES, url_of

RECORD_ROUTES = sorted(name for name, (target, _) in ROUTES.items() if target is not None)
LIST_ROUTES = sorted(name for name in ROUTES if name.endswith("-list"))
EVERY_METHOD = ("get", "head", "options", "post", "put", "patch", "delete")


@pytest.mark.parametrize("name", RECORD_ROUTES)
def test_every_method_on_a_foreign_record_is_404(world, coordinator_b, name):
    client = token_client(coordinator_b)
    url = url_of(name, world)
    statuses = {method: getattr(client, method)(url).status_code for method in EVERY_METHOD}
    assert statuses == dict.fromkeys(EVERY_METHOD, 404)


@pytest.mark.parametrize("name", LIST_ROUTES)
def test_lists_hold_nothing_of_the_other_partner(world, coordinator_b, name):
    response = token_client(coordinator_b).get(reverse(name), {"page_size": 200})
    assert response.status_code == 200
    rows = response.json()["results"]
    assert rows, "partner B's own records are listed"
    a_ids = {
        "api:partner-list": {world.partner_a.pk},
        "api:programme-list": {world.programme_a.pk},
        "api:convention-list": {world.convention_a.pk},
        "api:mentor-list": {world.mentor_a.pk, world.outcome_a.duo.mentor_id},
        "api:mentee-list": {world.mentee_a.pk, world.outcome_a.duo.mentee_id},
        "api:duo-list": {world.duo_a.pk, world.outcome_a.duo_id},
        "api:meeting-list": {world.meeting_a.pk},
        "api:outcome-list": {world.outcome_a.pk},
        "api:follow-up-list": {world.follow_up_a.pk},
    }[name]
    assert not a_ids & {row["id"] for row in rows}
    for row in rows:
        assert row.get("partner", world.partner_b.pk) == world.partner_b.pk


@pytest.mark.parametrize(
    ("name", "param", "target"),
    [
        ("api:duo-list", "programme", "programme_a"),
        ("api:duo-list", "convention", "convention_a"),
        ("api:duo-list", "partner", "partner_a"),
        ("api:mentee-list", "programme", "programme_a"),
        ("api:mentor-list", "programme", "programme_a"),
        ("api:meeting-list", "duo", "duo_a"),
        ("api:outcome-list", "duo", "outcome_a"),
        ("api:follow-up-list", "duo", "outcome_a"),
    ],
)
def test_foreign_ids_as_filters_return_nothing_of_theirs(world, coordinator_b, name, param, target):
    """Another partner's id is not a valid choice (400), like an id that does
    not exist; the coordinator's ``partner`` filter is not offered at all (and
    so ignored: they only ever see their own partner)."""
    obj = getattr(world, target)
    value = obj.duo_id if target == "outcome_a" else obj.pk
    response = token_client(coordinator_b).get(reverse(name), {param: value})
    if param == "partner":
        assert response.status_code == 200
        assert {row["partner"] for row in response.json()["results"]} == {world.partner_b.pk}
    else:
        assert response.status_code == 400
        assert param in response.json()


def test_foreign_references_in_writes_are_refused_and_nothing_is_written(world, coordinator_b):
    client = token_client(coordinator_b)
    duos, meetings = Duo.objects.count(), Meeting.objects.count()
    response = client.post(
        reverse("api:duo-list"),
        {
            "programme": world.programme_a.pk,
            "mentor": world.mentor_a.pk,
            "mentee": world.mentee_a.pk,
            "start_date": datetime.date.today().isoformat(),
        },
        format="json",
    )
    assert response.status_code == 400
    assert set(response.json()) == {"programme", "mentor", "mentee"}
    assert "does not exist" in response.json()["mentee"][0]
    response = client.post(
        reverse("api:meeting-list"),
        {"duo": world.duo_a.pk, "date": "2018-09-17", "duration_minutes": 60, "place": "online"},
        format="json",
    )
    assert response.status_code == 400
    assert list(response.json()) == ["duo"]
    assert (Duo.objects.count(), Meeting.objects.count()) == (duos, meetings)


def test_a_foreign_id_answers_like_an_id_that_does_not_exist(world, coordinator_b):
    client = token_client(coordinator_b)
    foreign = client.get(reverse("api:mentee-detail", args=[world.mentee_a.pk]))
    missing = client.get(reverse("api:mentee-detail", args=[Mentee.objects.latest("pk").pk + 1000]))
    assert foreign.status_code == missing.status_code == 404
    assert foreign.json() == missing.json()
