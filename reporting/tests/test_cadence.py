"""The meeting cadence figure: held meetings per (duo, month) kept by the
database (``MeetingMonth``), months that have ended, and queries that do not
grow with the length of the period."""

import datetime
import re

import pytest
from django.db import connection
from django.db.models import Count
from django.db.models.functions import TruncMonth
from django.test.utils import CaptureQueriesContext

from duos.models import Duo, Meeting, MeetingStatus
from reporting import figures as f
from reporting.figures import FigureContext, Period
from reporting.meeting_months import ensure, recount, remove, triggers_present
from reporting.models import MeetingMonth
from tests.factories import DuoFactory, MeetingFactory, ProgrammeFactory

from .factories import active_duo, closed_duo, meetings

pytestmark = pytest.mark.django_db

D = datetime.date


def kept():
    """``{(duo id, month): held meetings}`` as the table holds them."""
    rows = MeetingMonth.objects.values_list("duo_id", "month", "month_end", "held_meetings")
    for _duo, month, month_end, _held in rows:
        assert month.day == 1 and (month_end + datetime.timedelta(days=1)).day == 1 and month_end.month == month.month
    return {(duo, month): held for duo, month, _end, held in rows}


def counted():
    """The same, counted from the meetings."""
    rows = (
        Meeting.objects.filter(status=MeetingStatus.HELD)
        .annotate(month=TruncMonth("date"))
        .values("duo_id", "month")
        .annotate(n=Count("pk"))
    )
    return {
        (row["duo_id"], row["month"].date() if hasattr(row["month"], "date") else row["month"]): row["n"]
        for row in rows
    }


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

    Meeting.objects.filter(duo=duo, date=D(2019, 2, 1)).update(status=MeetingStatus.HELD)  # a queryset update
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
