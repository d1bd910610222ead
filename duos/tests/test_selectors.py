"""Cadence and attention selectors against hand-counted cases."""

import datetime

import pytest

from duos.models import Duo, MeetingStatus
from duos.selectors import (
    duo_cadence_by_month,
    duos_needing_attention,
    duos_with_cadence,
    duos_with_meeting_summary,
    full_months,
    last_complete_month,
)
from tests.factories import DuoFactory, MeetingFactory, ProgrammeFactory

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2019, 1, 15)  # last complete month: December 2018
D = datetime.date


@pytest.fixture
def programme():
    return ProgrammeFactory(min_meetings_per_month=2, duration_months=6)


def meetings(duo, *dates, status=MeetingStatus.HELD):
    for day in dates:
        MeetingFactory(duo=duo, date=day, status=status)


def behind(duo):
    return duos_with_cadence(Duo.objects.filter(pk=duo.pk), today=TODAY).get()


def test_last_complete_month():
    assert last_complete_month(TODAY) == (D(2018, 12, 1), D(2018, 12, 31))
    assert last_complete_month(D(2019, 3, 1)) == (D(2019, 2, 1), D(2019, 2, 28))
    assert last_complete_month(D(2020, 3, 31)) == (D(2020, 2, 1), D(2020, 2, 29))


class TestBehindCadence:
    def test_fewer_held_meetings_than_minimum_is_behind(self, programme):
        duo = DuoFactory(programme=programme, start_date=D(2018, 9, 3))
        meetings(duo, D(2018, 12, 4))
        row = behind(duo)
        assert row.cadence_held_last_month == 1
        assert row.is_behind_cadence is True

    def test_minimum_reached_is_not_behind(self, programme):
        duo = DuoFactory(programme=programme, start_date=D(2018, 9, 3))
        meetings(duo, D(2018, 12, 4), D(2018, 12, 18))
        assert behind(duo).is_behind_cadence is False

    def test_cancelled_meetings_do_not_count(self, programme):
        duo = DuoFactory(programme=programme, start_date=D(2018, 9, 3))
        meetings(duo, D(2018, 12, 4))
        meetings(duo, D(2018, 12, 18), status=MeetingStatus.CANCELLED)
        assert behind(duo).is_behind_cadence is True

    def test_meetings_of_other_months_do_not_count(self, programme):
        duo = DuoFactory(programme=programme, start_date=D(2018, 9, 3))
        meetings(duo, D(2018, 11, 30), D(2019, 1, 2), D(2019, 1, 10))
        assert behind(duo).cadence_held_last_month == 0
        assert behind(duo).is_behind_cadence is True

    def test_partial_first_month_does_not_count(self, programme):
        duo = DuoFactory(programme=programme, start_date=D(2018, 12, 2))
        assert behind(duo).is_behind_cadence is False

    def test_start_on_first_day_counts(self, programme):
        duo = DuoFactory(programme=programme, start_date=D(2018, 12, 1))
        assert behind(duo).is_behind_cadence is True

    def test_closed_during_the_month_does_not_count(self, programme):
        duo = DuoFactory(programme=programme, start_date=D(2018, 6, 1), closed=True, end_date=D(2018, 12, 30))
        assert behind(duo).is_behind_cadence is False

    def test_closed_on_last_day_does_not_count(self, programme):
        """A duo is not active on its end date (as in "duos active at the end
        of the period"): closed on 31 December, December was not a whole month."""
        duo = DuoFactory(programme=programme, start_date=D(2018, 6, 1), closed=True, end_date=D(2018, 12, 31))
        assert behind(duo).is_behind_cadence is False

    def test_rule_is_the_programmes(self):
        weekly = ProgrammeFactory(min_meetings_per_month=4)
        duo = DuoFactory(programme=weekly, start_date=D(2018, 9, 3))
        meetings(duo, D(2018, 12, 3), D(2018, 12, 10), D(2018, 12, 17))
        assert behind(duo).is_behind_cadence is True

    def test_one_query_for_many_duos(self, programme, django_assert_num_queries):
        for _ in range(5):
            meetings(DuoFactory(programme=programme, start_date=D(2018, 9, 3)), D(2018, 12, 4))
        with django_assert_num_queries(1):
            rows = list(duos_with_cadence(Duo.objects.select_related("programme"), today=TODAY))
        assert [row.is_behind_cadence for row in rows] == [True] * 5


def test_meeting_summary_counts_held_only(programme):
    duo = DuoFactory(programme=programme, start_date=D(2018, 9, 3))
    meetings(duo, D(2018, 9, 10), D(2018, 10, 1))
    meetings(duo, D(2018, 10, 20), status=MeetingStatus.CANCELLED)
    row = duos_with_meeting_summary(Duo.objects.filter(pk=duo.pk)).get()
    assert row.meetings_held == 2
    assert row.last_meeting_date == D(2018, 10, 1)


def test_needing_attention(programme):
    behind_duo = DuoFactory(programme=programme, start_date=D(2018, 9, 3))
    meetings(behind_duo, D(2018, 12, 4))
    healthy = DuoFactory(programme=programme, start_date=D(2018, 9, 3))
    meetings(healthy, D(2018, 12, 4), D(2018, 12, 18))
    past_end = DuoFactory(programme=programme, start_date=D(2018, 6, 4))  # planned end 2018-12-04
    meetings(past_end, D(2018, 12, 1), D(2018, 12, 3))
    no_meeting = DuoFactory(programme=programme, start_date=D(2019, 1, 7))
    closed = DuoFactory(programme=programme, start_date=D(2018, 9, 3), closed=True, end_date=D(2019, 1, 5))

    rows = {duo.pk: duo for duo in duos_needing_attention(Duo.objects.all(), today=TODAY)}

    assert set(rows) == {behind_duo.pk, past_end.pk, no_meeting.pk}
    assert healthy.pk not in rows and closed.pk not in rows
    assert rows[behind_duo.pk].is_behind_cadence and not rows[behind_duo.pk].is_past_planned_end
    assert rows[past_end.pk].is_past_planned_end and not rows[past_end.pk].is_behind_cadence
    assert rows[no_meeting.pk].has_no_meeting and not rows[no_meeting.pk].is_behind_cadence


class TestCadenceByMonth:
    def test_full_months_only(self, programme):
        duo = DuoFactory(programme=programme, start_date=D(2018, 9, 3))
        assert full_months(duo, today=TODAY) == [D(2018, 10, 1), D(2018, 11, 1), D(2018, 12, 1)]

    def test_starting_on_the_first_includes_that_month(self, programme):
        duo = DuoFactory(programme=programme, start_date=D(2018, 11, 1))
        assert full_months(duo, today=TODAY) == [D(2018, 11, 1), D(2018, 12, 1)]

    def test_closed_duo_stops_at_its_last_full_month(self, programme):
        duo = DuoFactory(programme=programme, start_date=D(2018, 9, 3), closed=True, end_date=D(2018, 12, 30))
        assert full_months(duo, today=TODAY) == [D(2018, 10, 1), D(2018, 11, 1)]

    def test_closed_on_a_months_last_day_stops_before_that_month(self, programme):
        duo = DuoFactory(programme=programme, start_date=D(2018, 9, 3), closed=True, end_date=D(2018, 11, 30))
        assert full_months(duo, today=TODAY) == [D(2018, 10, 1)]

    def test_counts_and_compliance(self, programme, django_assert_num_queries):
        duo = DuoFactory(programme=programme, start_date=D(2018, 9, 3))
        meetings(duo, D(2018, 9, 4), D(2018, 9, 20), D(2018, 10, 1), D(2018, 10, 31), D(2018, 11, 14))
        meetings(duo, D(2018, 11, 28), status=MeetingStatus.CANCELLED)
        meetings(duo, D(2019, 1, 3), D(2019, 1, 10))
        duo = Duo.objects.select_related("programme").get(pk=duo.pk)
        with django_assert_num_queries(1):
            rows = duo_cadence_by_month(duo, today=TODAY)
        assert [(r["month"], r["held"], r["met"]) for r in rows] == [
            (D(2018, 10, 1), 2, True),
            (D(2018, 11, 1), 1, False),
            (D(2018, 12, 1), 0, False),
        ]
        assert {r["minimum"] for r in rows} == {2}

    def test_no_full_month_yet(self, programme, django_assert_num_queries):
        duo = DuoFactory(programme=programme, start_date=D(2019, 1, 2))
        with django_assert_num_queries(0):
            assert duo_cadence_by_month(duo, today=TODAY) == []
