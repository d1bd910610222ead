"""Query counts are pinned and stay flat as rows grow: every list page runs
the same number of queries with 5 and with 50 rows, and the duo page with 2
and with 30 meetings. The numbers include the session, user and membership
look-ups of an authenticated request."""

import datetime

import pytest
from django.urls import reverse

from programmes.tests.world import use_fast_password_hasher
from tests.factories import (
    DuoFactory,
    FundingConventionFactory,
    MeetingFactory,
    MenteeFactory,
    MentorFactory,
    OutcomeFactory,
    PartnerFactory,
    ProgrammeFactory,
)

pytestmark = pytest.mark.django_db

# Pinned query counts (see the module docstring). The first three queries of
# every page are the session, the user and the user's membership.
QUERIES = {
    # Long lists: count, the page's ids, then the page's rows with annotations.
    # Staff counts include their second-factor device, which django-otp reads on
    # every request of a verified session.
    ("duos:duo_list", "coordinator_a"): 8,  # + the funding convention filter's choices
    ("duos:duo_list", "staff_user"): 10,  # + the partner and convention filters' choices
    ("duos:mentor_list", "coordinator_a"): 7,
    ("duos:mentee_list", "coordinator_a"): 7,
    ("programmes:partner_list", "staff_user"): 6,
    ("programmes:programme_list", "staff_user"): 7,
    ("programmes:convention_list", "staff_user"): 6,
    # Duo, primary outcome, corrections, the programme's follow-ups (its rules),
    # cadence by month, meetings.
    ("duos:duo_detail", "coordinator_a"): 9,
    ("duos:duo_detail", "staff_user"): 10,
    # The home page's reminder lists: the follow-up offsets in use, then a
    # count and the first rows of each of the four lists; for staff, one
    # grouped count per list.
    ("home", "coordinator_a"): 15,
    ("home", "staff_user"): 10,
}


@pytest.fixture(autouse=True)
def _fast_password_hasher(settings):
    use_fast_password_hasher(settings)


def make_duos(partner, count):
    programme = ProgrammeFactory(partner=partner)
    for index in range(count):
        duo = DuoFactory(programme=programme, start_date=datetime.date(2018, 9, 3))
        MeetingFactory(duo=duo, date=datetime.date(2018, 9, 10))
        if index % 3 == 0:
            duo.status, duo.end_date, duo.closure_reason = "closed", datetime.date(2019, 3, 3), "completed"
            duo.save()
            OutcomeFactory(duo=duo)


def make_rows(name, partner, count):
    if name == "duos:duo_list" or name.startswith("home"):
        make_duos(partner, count)
    elif name == "duos:mentor_list":
        for _ in range(count):
            DuoFactory(mentor=MentorFactory(partner=partner), programme__partner=partner)
    elif name == "duos:mentee_list":
        for _ in range(count):
            MenteeFactory(partner=partner)
        make_duos(partner, 2)
    elif name == "programmes:partner_list":
        for _ in range(count):
            make_duos(PartnerFactory(), 1)
    elif name == "programmes:programme_list":
        for _ in range(count):
            DuoFactory(programme=ProgrammeFactory(partner=PartnerFactory()))
    elif name == "programmes:convention_list":
        for _ in range(count):
            DuoFactory(convention=FundingConventionFactory(), programme__partner=partner)


@pytest.mark.parametrize(
    ("url_name", "persona"),
    [
        ("duos:duo_list", "coordinator_a"),
        ("duos:duo_list", "staff_user"),
        ("duos:mentor_list", "coordinator_a"),
        ("duos:mentee_list", "coordinator_a"),
        ("programmes:partner_list", "staff_user"),
        ("programmes:programme_list", "staff_user"),
        ("programmes:convention_list", "staff_user"),
    ],
)
@pytest.mark.parametrize("rows", [5, 50])
def test_list_query_count_is_flat(client, partner_a, url_name, persona, rows, request, django_assert_num_queries):
    user = request.getfixturevalue(persona)
    make_rows(url_name, partner_a, rows)
    client.force_login(user)
    with django_assert_num_queries(QUERIES[url_name, persona]):
        response = client.get(reverse(url_name))
    assert response.status_code == 200
    assert len(response.context["object_list"]) >= min(rows, 25) - 1


@pytest.mark.parametrize("rows", [5, 50])
def test_filtered_and_sorted_duo_list_is_flat(client, coordinator_a, partner_a, rows, django_assert_num_queries):
    make_duos(partner_a, rows)
    client.force_login(coordinator_a)
    query = {"status": "active", "behind_cadence": "yes", "o": "-last_meeting", "q": "a", "page": 1}
    # A search reads the people it finds first: two queries more (duos.search.duos_matching).
    with django_assert_num_queries(QUERIES["duos:duo_list", "coordinator_a"] + 2):
        response = client.get(reverse("duos:duo_list"), query)
    assert response.status_code == 200


@pytest.mark.parametrize("meetings", [2, 30])
@pytest.mark.parametrize("persona", ["coordinator_a", "staff_user"])
def test_duo_detail_query_count_is_flat(client, partner_a, meetings, persona, request, django_assert_num_queries):
    start = datetime.date(2018, 1, 1)
    duo = DuoFactory(programme=ProgrammeFactory(partner=partner_a), start_date=start)
    for index in range(meetings):
        MeetingFactory(duo=duo, date=start + datetime.timedelta(days=7 * index))
    client.force_login(request.getfixturevalue(persona))
    with django_assert_num_queries(QUERIES["duos:duo_detail", persona]):
        response = client.get(reverse("duos:duo_detail", args=[duo.pk]))
    assert response.status_code == 200
    assert len(response.context["meetings"]) == meetings


@pytest.mark.parametrize("rows", [5, 50])
def test_home_query_count_is_flat(client, coordinator_a, staff_user, partner_a, rows, django_assert_num_queries):
    make_duos(partner_a, rows)
    client.force_login(coordinator_a)
    with django_assert_num_queries(QUERIES["home", "coordinator_a"]):
        assert client.get(reverse("home")).status_code == 200
    client.force_login(staff_user)
    with django_assert_num_queries(QUERIES["home", "staff_user"]):
        assert client.get(reverse("home")).status_code == 200
