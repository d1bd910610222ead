"""Every list of the API runs a fixed number of queries, whatever the number
of rows (pinned here, and shown flat as rows grow), and so does a record."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from followups.models import FollowUp
from tests.factories import DuoFactory, MeetingFactory, OutcomeFactory, ProgrammeFactory

from .conftest import token_client

# Token lookup, the owner's other tokens (knox deletes expired ones), the
# owner's role, then the page: one query.
AUTH = 3
LISTS = {
    "api:partner-list": AUTH + 1,
    "api:programme-list": AUTH + 2,  # + the follow-up months, prefetched
    "api:convention-list": AUTH + 2,  # + the visible shares, prefetched
    "api:mentor-list": AUTH + 1,
    "api:mentee-list": AUTH + 2,  # + the access-log entry
    "api:duo-list": AUTH + 1,  # cadence, meetings held, last meeting, outcome: subqueries of the one query
    "api:meeting-list": AUTH + 1,
    "api:outcome-list": AUTH + 1,
    "api:follow-up-list": AUTH + 1,
}


def add_rows(world, count):
    for number in range(count):
        duo = DuoFactory(programme=world.programme_a, convention=world.convention_a)
        MeetingFactory(duo=duo)
        outcome = OutcomeFactory(
            duo=DuoFactory(programme=world.programme_a, convention=world.convention_a, closed=True)
        )
        FollowUp.objects.create(duo=outcome.duo, offset_months=3, date=outcome.duo.end_date, situation="none")
        ProgrammeFactory(partner=world.partner_a, follow_up_months=[3, 6, 12 + number])


def queries(client, url, **params):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, params)
    assert response.status_code == 200, response.content
    return len(captured), len(response.json()["results"])


@pytest.mark.parametrize("name", sorted(LISTS))
def test_list_queries_are_pinned_and_flat(world, coordinator_a, name):
    client = token_client(coordinator_a)
    url = reverse(name)
    client.get(url)  # the token's first use writes its "last used" time
    few, few_rows = queries(client, url)
    add_rows(world, 12)
    many, many_rows = queries(client, url)
    assert few == many == LISTS[name], f"{name}: {few} queries with {few_rows} rows, {many} with {many_rows}"


def test_duo_list_filtered_as_on_the_page_stays_flat(world, coordinator_a):
    client = token_client(coordinator_a)
    url = reverse("api:duo-list")
    params = {"status": "active", "behind_cadence": "no", "start_after": "2018-01-01", "q": "a"}
    client.get(url)
    few, _ = queries(client, url, **params)
    add_rows(world, 12)
    many, _ = queries(client, url, **params)
    # + 2: a name search reads the mentees and the mentors it finds first (as the page does)
    assert few == many == AUTH + 3


@pytest.mark.parametrize(
    ("name", "target", "expected"),
    [
        ("api:duo-detail", "duo_a", AUTH + 1),
        ("api:mentee-detail", "mentee_a", AUTH + 4),  # + migration background, two access-log entries
        ("api:meeting-detail", "meeting_a", AUTH + 1),
    ],
)
def test_record_queries_are_pinned(world, coordinator_a, name, target, expected):
    client = token_client(coordinator_a)
    url = reverse(name, args=[getattr(world, target).pk])
    client.get(url)
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    assert len(captured) == expected, "\n".join(q["sql"] for q in captured)
