"""Writes through the API go through the services: the same rules as the
forms, errors as ``{field: [messages]}`` in the client's language, nothing
written on error."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from duos.models import Duo, DuoStatus, Meeting, Mentee, MigrationBackground, Outcome

from .conftest import token_client

TODAY = timezone.localdate


def post(client, name, data, *args, **headers):
    return client.post(reverse(name, args=args), data, format="json", **headers)


@pytest.fixture
def coordinator(coordinator_a):
    return token_client(coordinator_a)


def new_mentee(client, **extra):
    data = {
        "first_name": "Nadia",
        "last_name": "Example",
        "jobseeker_number": "55501234",
        "birth_date": "1998-04-02",
        "gender": "f",
        **extra,
    }
    response = post(client, "api:mentee-list", data)
    assert response.status_code == 201, response.json()
    return response.json()


def new_mentor(client):
    data = {"first_name": "Paul", "last_name": "Sample", "birth_date": "1962-01-20", "gender": "m"}
    response = post(client, "api:mentor-list", data)
    assert response.status_code == 201, response.json()
    return response.json()


def test_a_coordinator_records_a_duo_from_start_to_close(world, coordinator, partner_a):
    mentor, mentee = new_mentor(coordinator), new_mentee(coordinator, has_migration_background=True)
    assert mentor["partner"] == mentee["partner"] == partner_a.pk  # never from the input
    assert mentee["has_migration_background"] is True
    start = TODAY() - datetime.timedelta(days=20)
    response = post(
        coordinator,
        "api:duo-list",
        {"programme": world.programme_a.pk, "mentor": mentor["id"], "mentee": mentee["id"], "start_date": str(start)},
    )
    assert response.status_code == 201, response.json()
    duo = response.json()
    assert (duo["status"], duo["meetings_held"], duo["partner"]) == ("active", 0, partner_a.pk)
    assert duo["planned_end_date"] == str(Duo.objects.get(pk=duo["id"]).planned_end_date)

    meeting = {"duo": duo["id"], "date": str(start), "duration_minutes": 90, "place": "online"}
    assert post(coordinator, "api:meeting-list", meeting).status_code == 201
    again = post(coordinator, "api:meeting-list", meeting)
    assert again.status_code == 400
    assert "confirm_same_day" in again.json()["date"][0]
    assert post(coordinator, "api:meeting-list", {**meeting, "confirm_same_day": True}).status_code == 201

    response = post(
        coordinator,
        "api:duo-close",
        {"end_date": str(TODAY()), "reason": "early_job", "outcome_type": "job", "contract_type": "cdi"},
        duo["id"],
    )
    assert response.status_code == 200, response.json()
    assert (response.json()["status"], response.json()["outcome_type"]) == ("closed", "job")
    outcomes = coordinator.get(reverse("api:outcome-list"), {"duo": duo["id"]}).json()["results"]
    assert [(o["type"], o["contract_type"], o["is_primary"]) for o in outcomes] == [("job", "cdi", True)]

    closed_again = post(
        coordinator,
        "api:duo-close",
        {"end_date": str(TODAY()), "reason": "completed", "outcome_type": "none"},
        duo["id"],
    )
    assert closed_again.status_code == 400
    assert closed_again.json() == {"non_field_errors": ["This duo is already closed."]}
    late = post(coordinator, "api:meeting-list", {**meeting, "date": str(TODAY())})
    assert late.status_code == 400
    assert list(late.json()) == ["non_field_errors"]


def test_service_errors_are_keyed_by_field_in_the_clients_language(world, coordinator):
    mentor, mentee = new_mentor(coordinator), new_mentee(coordinator)
    far = TODAY() + datetime.timedelta(days=200)
    data = {"programme": world.programme_a.pk, "mentor": mentor["id"], "mentee": mentee["id"], "start_date": str(far)}
    duos = Duo.objects.count()
    english = post(coordinator, "api:duo-list", data, HTTP_ACCEPT_LANGUAGE="en")
    french = post(coordinator, "api:duo-list", data, HTTP_ACCEPT_LANGUAGE="fr")
    dutch = post(coordinator, "api:duo-list", data, HTTP_ACCEPT_LANGUAGE="nl")
    assert english.status_code == french.status_code == dutch.status_code == 400
    assert list(english.json()) == list(french.json()) == list(dutch.json()) == ["start_date"]
    assert len({english.json()["start_date"][0], french.json()["start_date"][0], dutch.json()["start_date"][0]}) == 3
    assert Duo.objects.count() == duos


def test_shape_errors_are_translated_too(coordinator):
    response = post(
        coordinator, "api:mentor-list", {"first_name": "X", "birth_date": "31/12/1960"}, HTTP_ACCEPT_LANGUAGE="fr"
    )
    assert response.status_code == 400
    body = response.json()
    assert set(body) == {"last_name", "birth_date"}
    assert body["last_name"] == ["Ce champ est obligatoire."]


def test_programme_rules_apply_as_on_the_form(world, coordinator):
    """A mentee already in an active duo cannot start another one."""
    mentor = new_mentor(coordinator)
    response = post(
        coordinator,
        "api:duo-list",
        {
            "programme": world.programme_a.pk,
            "mentor": mentor["id"],
            "mentee": world.mentee_a.pk,
            "start_date": str(TODAY()),
        },
    )
    assert response.status_code == 400
    assert response.json() == {"mentee": ["This mentee already has an active duo; close it before starting another."]}


def test_duplicate_jobseeker_number_is_refused_on_its_field(world, coordinator):
    response = post(
        coordinator,
        "api:mentee-list",
        {
            "first_name": "A",
            "last_name": "B",
            "jobseeker_number": world.mentee_a.jobseeker_number,
            "birth_date": "1995-01-01",
            "gender": "m",
        },
    )
    assert response.status_code == 400
    assert response.json() == {"jobseeker_number": ["This partner already has a mentee with this job-seeker number."]}


def test_updates_correct_people_duos_and_meetings(world, coordinator):
    url = reverse("api:mentor-detail", args=[world.mentor_a.pk])
    response = coordinator.patch(url, {"job_title": "Accountant"}, format="json")
    assert response.status_code == 200
    assert response.json()["job_title"] == "Accountant"
    assert coordinator.put(url, {"first_name": "Only"}, format="json").status_code == 400  # PUT needs every field

    duo_url = reverse("api:duo-detail", args=[world.duo_a.pk])
    new_end = world.duo_a.planned_end_date + datetime.timedelta(days=30)
    response = coordinator.patch(duo_url, {"planned_end_date": str(new_end)}, format="json")
    assert response.status_code == 200
    assert response.json()["planned_end_date"] == str(new_end)
    assert response.json()["convention"] == world.convention_a.pk  # left out: kept
    bad = coordinator.patch(duo_url, {"planned_end_date": "2018-01-01"}, format="json")
    assert bad.status_code == 400
    assert list(bad.json()) == ["planned_end_date"]

    meeting_url = reverse("api:meeting-detail", args=[world.meeting_a.pk])
    response = coordinator.patch(meeting_url, {"duration_minutes": 45}, format="json")
    assert (response.status_code, response.json()["duration_minutes"]) == (200, 45)
    too_long = coordinator.patch(meeting_url, {"duration_minutes": 600}, format="json")
    assert too_long.status_code == 400
    assert list(too_long.json()) == ["duration_minutes"]
    world.meeting_a.refresh_from_db()
    assert world.meeting_a.duration_minutes == 45
    assert coordinator.delete(meeting_url).status_code == 204
    assert not Meeting.objects.filter(pk=world.meeting_a.pk).exists()


def test_migration_background_only_for_the_coordinator_and_never_in_lists(world, coordinator, staff_user):
    detail = reverse("api:mentee-detail", args=[world.mentee_a.pk])
    assert coordinator.get(detail).json()["has_migration_background"] is True
    assert "has_migration_background" not in token_client(staff_user).get(detail).json()
    for row in coordinator.get(reverse("api:mentee-list")).json()["results"]:
        assert "has_migration_background" not in row
    # Left out of an update, the recorded answer is kept; null removes it.
    assert coordinator.patch(detail, {"languages": "French"}, format="json").json()["has_migration_background"] is True
    assert MigrationBackground.objects.filter(mentee=world.mentee_a, has_migration_background=True).exists()
    assert coordinator.patch(detail, {"has_migration_background": None}, format="json").status_code == 200
    assert not MigrationBackground.objects.filter(mentee=world.mentee_a).exists()


def test_nothing_is_written_when_a_rule_is_broken(world, coordinator):
    counts = (Mentee.objects.count(), Duo.objects.count(), Meeting.objects.count(), Outcome.objects.count())
    post(
        coordinator,
        "api:mentee-list",
        {"first_name": "A", "last_name": "B", "jobseeker_number": "12", "birth_date": "1995-01-01", "gender": "m"},
    )
    post(
        coordinator,
        "api:meeting-list",
        {
            "duo": world.duo_a.pk,
            "date": str(TODAY() + datetime.timedelta(days=3)),
            "duration_minutes": 60,
            "place": "online",
        },
    )
    post(
        coordinator,
        "api:duo-close",
        {"end_date": "2018-01-01", "reason": "completed", "outcome_type": "none"},
        world.duo_a.pk,
    )
    assert (Mentee.objects.count(), Duo.objects.count(), Meeting.objects.count(), Outcome.objects.count()) == counts
    world.duo_a.refresh_from_db()
    assert world.duo_a.status == DuoStatus.ACTIVE


def test_a_token_writes_as_its_owner_and_staff_tokens_cannot_write(world, staff_user, manager_user):
    for user in (staff_user, manager_user):
        client = token_client(user)
        assert post(client, "api:mentor-list", {"first_name": "A"}).status_code == 403
        response = client.patch(reverse("api:duo-detail", args=[world.duo_a.pk]), {}, format="json")
        assert response.status_code == 403


def test_a_coordinator_records_and_corrects_a_follow_up(world, coordinator):
    closed = world.closed_duo_a  # closed on its planned end; programme follow-ups at 3, 6 and 12 months
    data = {"duo": closed.pk, "offset_months": 6, "date": "2019-03-10", "situation": "job", "contract_type": "cdd"}
    response = post(coordinator, "api:follow-up-list", data)
    assert response.status_code == 201, response.json()
    follow_up = response.json()
    assert (follow_up["offset_months"], follow_up["situation"], follow_up["contract_type"]) == (6, "job", "cdd")
    assert post(coordinator, "api:follow-up-list", data).json() == {
        "offset_months": ["This follow-up is already recorded."]
    }
    wrong_offset = post(coordinator, "api:follow-up-list", {**data, "offset_months": 4})
    assert list(wrong_offset.json()) == ["offset_months"]
    no_contract = post(
        coordinator, "api:follow-up-list", {**data, "offset_months": 12, "date": "2019-09-10", "contract_type": ""}
    )
    assert no_contract.json() == {"contract_type": ["Choose the contract type of the job."]}
    open_duo = post(coordinator, "api:follow-up-list", {**data, "duo": world.duo_a.pk})
    assert open_duo.json() == {"non_field_errors": ["Follow-ups are recorded once the duo is closed."]}

    url = reverse("api:follow-up-detail", args=[follow_up["id"]])
    response = coordinator.patch(url, {"situation": "none"}, format="json")
    assert response.status_code == 200
    assert (response.json()["situation"], response.json()["contract_type"]) == ("none", "")  # dropped with the job
    closed.refresh_from_db()
    assert closed.outcomes.get(is_primary=True).type == "job"  # the closure outcome is untouched


def test_programmes_list_their_follow_ups(world, coordinator):
    programme = coordinator.get(reverse("api:programme-detail", args=[world.programme_a.pk])).json()
    assert programme["follow_up_months"] == [3, 6, 12]
