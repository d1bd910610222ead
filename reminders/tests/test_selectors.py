"""The reminder lists against a hand-made partner (see ``partner_a_work``)."""

import pytest

from duos.models import Duo
from followups.models import FollowUp
from programmes.models import Partner
from reminders.selectors import LIST_LIMIT, reminder_counts_by_partner, reminder_lists
from tests.factories import DuoFactory

from .conftest import TODAY, day

pytestmark = pytest.mark.django_db


def ids(lists):
    return {
        reminder.key: [(row.pk, getattr(row, "offset_months", None)) for row in reminder.rows] for reminder in lists
    }


def test_each_list_has_its_duos(partner_a_work):
    work = partner_a_work
    lists = reminder_lists(Duo.objects.all(), today=TODAY)
    assert [reminder.key for reminder in lists] == [
        "behind_cadence",
        "past_planned_end",
        "without_meeting",
        "follow_ups_due",
    ]
    assert ids(lists) == {
        "behind_cadence": [(work["behind"].pk, None)],
        "past_planned_end": [(work["past_end"].pk, None)],
        "without_meeting": [(work["quiet"].pk, None)],
        "follow_ups_due": [(work["due"].pk, 3)],
    }
    assert [reminder.count for reminder in lists] == [1, 1, 1, 1]
    assert lists[0].url == "/duos/?status=active&behind_cadence=yes"
    assert lists[3].url == "/follow-ups/"


def test_without_meeting_threshold_is_a_setting(partner_a_work, settings):
    settings.REMINDER_NO_MEETING_DAYS = 14  # ``fresh`` started 14 days ago, ``behind`` met 11 days ago
    lists = {reminder.key: reminder for reminder in reminder_lists(Duo.objects.all(), today=TODAY)}
    assert {row.pk for row in lists["without_meeting"].rows} == {
        partner_a_work["quiet"].pk,
        partner_a_work["fresh"].pk,
    }


def test_recorded_follow_up_leaves_the_list(partner_a_work):
    FollowUp.objects.create(duo=partner_a_work["due"], offset_months=3, date=TODAY, situation="none")
    lists = {reminder.key: reminder for reminder in reminder_lists(Duo.objects.all(), today=TODAY)}
    assert lists["follow_ups_due"].count == 0


def test_lists_are_capped_and_counted(partner_a_work):
    for _index in range(LIST_LIMIT + 2):
        DuoFactory(programme=partner_a_work["programme"], start_date=day("2019-02-01"))  # past end, no meeting
    lists = {reminder.key: reminder for reminder in reminder_lists(Duo.objects.all(), today=TODAY)}
    assert lists["past_planned_end"].count == LIST_LIMIT + 3
    assert len(lists["past_planned_end"].rows) == LIST_LIMIT
    assert lists["past_planned_end"].more == 3


def test_lists_are_constant_in_queries(partner_a_work, django_assert_num_queries):
    with django_assert_num_queries(9):  # offsets in use, then a count and the rows of each list
        reminder_lists(Duo.objects.all(), today=TODAY)


def test_counts_per_partner(partner_a_work, partner_b):
    other = DuoFactory(programme__partner=partner_b, start_date=day("2019-01-07"))  # past end, no meeting
    rows = reminder_counts_by_partner(Duo.objects.all(), list(Partner.objects.order_by("name")), today=TODAY)
    counts = {partner.slug: {key: count for key, (count, _url) in cells.items()} for partner, cells in rows}
    assert counts == {
        "partner-a": {"behind_cadence": 1, "past_planned_end": 1, "without_meeting": 1, "follow_ups_due": 1},
        "partner-b": {"behind_cadence": 1, "past_planned_end": 1, "without_meeting": 1, "follow_ups_due": 0},
    }
    urls = dict(rows[1][1].items())
    assert urls["past_planned_end"][1] == f"/duos/?partner={other.partner_id}&status=active&past_planned_end=yes"
