"""The meeting cadence figure: held meetings per (duo, month) kept by the
database (``MeetingMonth``), months that have ended, and queries that do not
grow with the length of the period."""

import datetime
import re
from functools import partial

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from duos.models import Duo, Meeting, MeetingStatus
from duos.services import meeting_delete, meeting_log, meeting_update
from reporting import figures as f
from reporting.figures import FigureContext, Period
from reporting.meeting_months import ensure, install, recount, remove, triggers_present
from reporting.models import MeetingMonth
from tests.factories import DuoFactory, MeetingFactory, ProgrammeFactory
from tests.meeting_months import counted, kept

from .factories import active_duo, closed_duo, meetings

pytestmark = pytest.mark.django_db

D = datetime.date


def test_the_database_keeps_held_meetings_per_month(db):
    programme = ProgrammeFactory()
    duo, other = DuoFactory(programme=programme), DuoFactory(programme=programme)
    first = MeetingFactory(duo=duo, date=D(2019, 1, 31))
    MeetingFactory(duo=duo, date=D(2019, 1, 3))
    MeetingFactory(duo=duo, date=D(2019, 2, 1), status=MeetingStatus.CANCELLED)
    assert kept() == counted() == {(duo.pk, D(2019, 1, 1)): 2}

    first.date = D(2019, 2, 28)  # moved to the next month (save: every column updated)
    first.save()
    assert kept() == counted() == {(duo.pk, D(2019, 1, 1)): 1, (duo.pk, D(2019, 2, 1)): 1}

    # A queryset update (as the services do with the flag).
    Meeting.objects.filter(duo=duo, date=D(2019, 2, 1)).update(status=MeetingStatus.HELD, counts_for_cadence=True)
    Meeting.objects.filter(pk=first.pk).update(duo=other)  # moved to another duo
    assert kept() == counted() == {(duo.pk, D(2019, 1, 1)): 1, (duo.pk, D(2019, 2, 1)): 1, (other.pk, D(2019, 2, 1)): 1}

    Meeting.objects.bulk_create(
        Meeting(duo=other, date=D(2020, 2, day), duration_minutes=60, place="online") for day in (27, 28, 29)
    )
    first.refresh_from_db()
    first.status = MeetingStatus.CANCELLED
    first.save()
    Meeting.objects.filter(duo=duo, date=D(2019, 1, 3)).delete()
    assert kept() == counted() == {(duo.pk, D(2019, 2, 1)): 1, (other.pk, D(2020, 2, 1)): 3}
    assert MeetingMonth.objects.get(duo=other).month_end == D(2020, 2, 29)

    other.delete()  # its meetings go with it, and so do its months
    assert kept() == counted() == {(duo.pk, D(2019, 2, 1)): 1}


def _cadence(duo):
    """(numerator, denominator) of the cadence of ``duo`` in 2019Q1, seen in June."""
    figure = f.total_figure(
        "meeting_cadence_compliance",
        Duo.objects.filter(pk=duo.pk),
        period=Period.quarter("2019Q1"),
        today=D(2019, 6, 1),
    )
    return figure.numerator, figure.denominator


def test_two_held_meetings_on_one_day_count_once(db):
    """The same-day rule, through the services: a confirmed second meeting on
    a day is stored without ``counts_for_cadence``; the month counts the day
    once, and so does the cadence figure (minimum two a month: January, with
    meetings on two days only, falls short)."""
    programme = ProgrammeFactory(min_meetings_per_month=2, meeting_place="any")
    duo = active_duo(programme, "2019-01-01")
    log = partial(meeting_log, duo=duo, duration_minutes=60, place="online", today=D(2019, 6, 1))
    first = log(date=D(2019, 1, 10))
    second = log(date=D(2019, 1, 10), confirm_same_day=True)
    log(date=D(2019, 2, 5))
    log(date=D(2019, 2, 19))
    second.refresh_from_db()
    assert not second.counts_for_cadence
    assert kept() == counted() == {(duo.pk, D(2019, 1, 1)): 1, (duo.pk, D(2019, 2, 1)): 2}
    assert _cadence(duo) == (1, 3)  # February reached; January (one day) and March missed

    log(date=D(2019, 1, 24))  # a second day in January: now it reaches the minimum
    assert kept()[(duo.pk, D(2019, 1, 1))] == 2
    assert _cadence(duo) == (2, 3)

    meeting_delete(meeting=first)  # the second meeting of the 10th takes over the day
    second.refresh_from_db()
    assert second.counts_for_cadence
    assert kept() == counted() == {(duo.pk, D(2019, 1, 1)): 2, (duo.pk, D(2019, 2, 1)): 2}
    assert _cadence(duo) == (2, 3)


def test_corrections_move_the_counts(db):
    """Changing a meeting's status or date (the services, then a bare queryset
    update) moves its count; a day left with another held meeting still counts."""
    programme = ProgrammeFactory(min_meetings_per_month=1, meeting_place="any")
    duo = active_duo(programme, "2019-01-01")
    log = partial(meeting_log, duo=duo, duration_minutes=60, place="online", today=D(2019, 6, 1))
    first = log(date=D(2019, 1, 10))
    second = log(date=D(2019, 1, 10), confirm_same_day=True)
    assert kept() == {(duo.pk, D(2019, 1, 1)): 1}

    update = partial(meeting_update, duration_minutes=60, place="online", today=D(2019, 6, 1))
    update(meeting=first, date=D(2019, 2, 4), status=MeetingStatus.HELD)  # moved: both days count now
    assert kept() == counted() == {(duo.pk, D(2019, 1, 1)): 1, (duo.pk, D(2019, 2, 1)): 1}
    assert _cadence(duo) == (2, 3)

    update(meeting=second, date=D(2019, 1, 10), status=MeetingStatus.CANCELLED)
    assert kept() == counted() == {(duo.pk, D(2019, 2, 1)): 1}
    assert _cadence(duo) == (1, 3)

    update(meeting=second, date=D(2019, 2, 4), status=MeetingStatus.HELD, confirm_same_day=True)
    second.refresh_from_db()
    assert not second.counts_for_cadence  # the 4th February already counts (first)
    assert kept() == counted() == {(duo.pk, D(2019, 2, 1)): 1}

    Meeting.objects.filter(pk=second.pk).update(date=D(2019, 3, 7), counts_for_cadence=True)
    assert kept() == counted() == {(duo.pk, D(2019, 2, 1)): 1, (duo.pk, D(2019, 3, 1)): 1}
    assert _cadence(duo) == (2, 3)
    Meeting.objects.filter(pk=second.pk).update(counts_for_cadence=False)  # only the flag changes
    assert kept() == counted() == {(duo.pk, D(2019, 2, 1)): 1}


def test_the_migration_recount_follows_the_rule(db):
    """What the migration does on a database the earlier triggers filled:
    recreating the triggers recounts the table with one meeting per day."""
    duo = DuoFactory(start_date=D(2019, 1, 1))
    MeetingFactory(duo=duo, date=D(2019, 1, 10))
    MeetingFactory(duo=duo, date=D(2019, 1, 10))  # not counting (the factory follows the rule)
    with connection.cursor() as cursor:  # a table counted by the earlier triggers: both meetings
        cursor.execute("UPDATE reporting_meetingmonth SET held_meetings = 2")
    install(connection)
    assert kept() == counted() == {(duo.pk, D(2019, 1, 1)): 1}


def test_triggers_are_put_back_when_missing(db):
    duo = DuoFactory()
    remove(connection)
    MeetingFactory(duo=duo, date=D(2019, 5, 5))
    assert not triggers_present(connection) and kept() == {}
    assert ensure(connection) is True  # as after a migration that rebuilt the meetings table on SQLite
    assert triggers_present(connection) and kept() == counted() == {(duo.pk, D(2019, 5, 1)): 1}
    assert ensure(connection) is False
    MeetingMonth.objects.all().delete()
    recount(connection)
    assert kept() == counted()


def test_the_current_month_is_not_a_missed_month(db):
    programme = ProgrammeFactory(min_meetings_per_month=2)
    duo = active_duo(programme, "2019-01-01")
    meetings(duo, "2019-01-07", "2019-01-21", "2019-02-04", "2019-02-18", "2019-03-04")
    quarter = Period.quarter("2019Q1")

    def cadence(today):
        figure = f.total_figure("meeting_cadence_compliance", Duo.objects.all(), period=quarter, today=today)
        return figure.numerator, figure.denominator

    assert cadence(D(2019, 3, 15)) == (2, 2)  # March has not ended: not counted, not missed
    assert cadence(D(2019, 4, 1)) == (2, 3)  # now it has ended: one meeting short
    assert cadence(D(2019, 1, 31)) == (0, 0)


def test_a_cohort_counts_its_months_up_to_the_as_of_date(db):
    programme = ProgrammeFactory(min_meetings_per_month=1)
    duo = closed_duo(programme, "2018-12-15", "2019-05-10")
    meetings(duo, "2019-01-10", "2019-02-10", "2019-04-10")
    period = Period.quarter("2018Q4")
    context = {"view": "cohort", "period": period}
    figure = f.total_figure("meeting_cadence_compliance", Duo.objects.all(), as_of=D(2019, 3, 31), **context)
    assert (figure.numerator, figure.denominator) == (2, 3)  # Jan, Feb reached; March missed
    figure = f.total_figure("meeting_cadence_compliance", Duo.objects.all(), as_of=D(2019, 12, 31), **context)
    assert (figure.numerator, figure.denominator) == (3, 4)  # April too; not May (closed on the 10th)


def _normalised(queries):
    """The SQL of ``queries`` with every number and date taken out."""
    return [re.sub(r"\d+", "0", query["sql"]) for query in queries]


@pytest.mark.parametrize("key", ["meeting_cadence_compliance", "duos_active_at_end", "employment_rate"])
def test_queries_do_not_grow_with_the_period(hand_counted, key):
    """One month or a hundred years: the same queries, word for word but the
    dates (no expression, subquery or join per month)."""
    shapes = []
    for period in (
        Period(D(2019, 1, 1), D(2019, 1, 31)),
        Period.quarter("2019Q1"),
        Period(D(2009, 1, 1), D(2018, 12, 31)),
        Period(D(2000, 1, 1), D(2099, 12, 31)),
    ):
        with CaptureQueriesContext(connection) as captured:
            f.total_figure(key, Duo.objects.all(), period=period, today=D(2100, 1, 1))
        shapes.append(_normalised(captured.captured_queries))
    assert all(shape == shapes[0] for shape in shapes)
    assert shapes[0]


def test_whole_range_on_this_database(hand_counted, partner_a, partner_b):
    sources = f.FigureSources(duos=Duo.objects.all(), partners=[partner_a, partner_b], conventions=[])
    result = f.figure_set(sources=sources, context=FigureContext(period=Period(D(2000, 1, 1), D(2099, 12, 31))))
    assert result.total["duos_started"].value == 12
    cadence = result.total["meeting_cadence_compliance"]
    assert cadence.denominator > 12 and 0 < cadence.numerator < cadence.denominator


@pytest.mark.skipif(connection.vendor != "postgresql", reason="EXPLAIN plans are PostgreSQL's")
def test_ten_year_plan_has_no_subquery_per_month(hand_counted):
    """How the benchmark's "no subquery per month" is checked: the plans of
    the cadence queries for one quarter and for ten years have the same number
    of SubPlan / InitPlan nodes, and the same number of nodes."""

    def plan_shape(period):
        with CaptureQueriesContext(connection) as captured:
            f.total_figure("meeting_cadence_compliance", Duo.objects.all(), period=period, today=D(2100, 1, 1))
        shape = []
        with connection.cursor() as cursor:
            for query in captured.captured_queries:
                cursor.execute("EXPLAIN " + query["sql"])
                plan = "\n".join(row[0] for row in cursor.fetchall())
                shape.append((plan.count("SubPlan"), plan.count("InitPlan"), plan.count("->")))
        return shape

    quarter = plan_shape(Period.quarter("2019Q1"))
    assert plan_shape(Period(D(2010, 1, 1), D(2019, 12, 31))) == quarter
    assert plan_shape(Period(D(2000, 1, 1), D(2099, 12, 31))) == quarter
    assert all(subplans <= 1 for subplans, _init, _nodes in quarter)
