"""The meeting cadence figure, in a fixed number of queries whatever the
length of the period (one month or a hundred years).

**Duo-months** (the denominator) are counted by arithmetic on month numbers,
per duo, in the one aggregate over the duos: with ``n(d) = 12 × year + month``,
a duo's first whole active month is ``n(start − 1 day) + 1`` (its start's
month when it starts on the 1st, else the next) and its last is ``n(end) − 1``
(a duo is not active on its end date, see ``predicates``); its duo-months in
the window are the overlap of that range with the window's months. No month
is ever listed in SQL.

**Duo-months that reached the programme's minimum** (the numerator) come from
``MeetingMonth``: the held meetings of each (duo, month), counted once, when
the meetings are written, by database triggers. One grouped query joins them
to their duos: a month counts when it lies in the window, the duo was active
that whole month, and the held meetings reach the duo's programme minimum.

Why a table kept by triggers and not a months series in the query: counting
2.4 million meetings by (duo, month) at query time takes seconds on
PostgreSQL, while reading the counted rows takes a fraction of that; and
triggers keep the counts right whoever writes meetings (services, the admin,
a bulk load, ``COPY``), where service code could be bypassed.
"""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING, Any

from django.db.models import Count, F, Func, IntegerField, Q, QuerySet, Value
from django.db.models.functions import Coalesce, Greatest, Least

from mentoring.queries import count_subquery

from . import predicates as p

if TYPE_CHECKING:
    from .context import FigureContext


class MonthNumber(Func):
    """``12 × year + month`` of a date column (``shift_days`` added to the
    date first), as an integer. On PostgreSQL ``date_part`` is used: it is
    several times cheaper than ``EXTRACT``, which computes in ``numeric``."""

    output_field = IntegerField()

    def __init__(self, expression: Any, shift_days: int = 0, **extra: Any) -> None:
        super().__init__(expression, **extra)
        self.shift_days = shift_days

    def as_sql(self, compiler: Any, connection: Any, **extra_context: Any) -> tuple[str, Any]:  # type: ignore[override]  # SQLite and others
        sql, params = compiler.compile(self.source_expressions[0])
        if self.shift_days:
            sql = f"date({sql}, '{self.shift_days:+d} day')"
        return f"(CAST(strftime('%%Y', {sql}) AS INTEGER) * 12 + CAST(strftime('%%m', {sql}) AS INTEGER))", params * 2

    def as_postgresql(self, compiler: Any, connection: Any, **extra_context: Any) -> tuple[str, Any]:
        sql, params = compiler.compile(self.source_expressions[0])
        if self.shift_days:
            sql = f"({sql} + {int(self.shift_days)})"
        return f"(date_part('year', {sql})::int * 12 + date_part('month', {sql})::int)", params * 2


def month_number(day: datetime.date) -> int:
    """``12 × year + month`` of a Python date."""
    return day.year * 12 + day.month


def duo_months_in(context: FigureContext, prefix: str = "") -> Any:
    """Per duo: how many calendar months of the context's cadence window the
    duo was active on every day (an integer expression, 0 when none). Its
    first whole month is the month after the day before its start; its last,
    the month before its end."""
    window = context.cadence_window()
    if window is None:
        return Value(0, output_field=IntegerField())
    first, last = (Value(month_number(day), output_field=IntegerField()) for day in window)
    first_whole = MonthNumber(F(f"{prefix}start_date"), shift_days=-1) + 1
    last_whole = Coalesce(MonthNumber(F(f"{prefix}end_date")) - 1, last)
    months = Least(last, last_whole) - Greatest(first, first_whole) + 1
    return Greatest(months, Value(0), output_field=IntegerField())


def _reached_months(context: FigureContext) -> Q:
    """Conditions on ``MeetingMonth`` rows (as ``reached_months_total`` puts
    them on the duos' rows): the month is in the window, the duo was active
    that whole month, and its held meetings reach the minimum. Callers check
    first that the window has a month."""
    window = context.cadence_window()
    assert window is not None
    first, last = window
    return (
        Q(month__gte=first, month__lte=last, month_end__lte=last, duo__start_date__lte=F("month"))
        & (Q(duo__end_date__isnull=True) | Q(duo__end_date__gt=F("month_end")))
        & Q(held_meetings__gte=F("duo__programme__min_meetings_per_month"))
    )


def reached_months_total(duos: QuerySet, context: FigureContext) -> dict[int, int]:
    """``{partner_id: duo-months that reached the minimum}`` over ``duos``: one
    grouped query joining the duos to their ``MeetingMonth`` rows (each row
    counted once: no other multi-valued relation is joined)."""
    window = context.cadence_window()
    if window is None:
        return {}
    first, last = window
    reached = (
        # ``month <= last`` follows from ``month_end <= last``; said, it bounds the
        # scan of the (month, duo) index to the window's months instead of every
        # month after its first.
        Q(meeting_months__month__gte=first, meeting_months__month__lte=last, meeting_months__month_end__lte=last)
        & Q(meeting_months__month__gte=F("start_date"))
        & (Q(end_date__isnull=True) | Q(end_date__gt=F("meeting_months__month_end")))
        & Q(meeting_months__held_meetings__gte=F("programme__min_meetings_per_month"))
    )
    rows = (
        p.counted(duos)
        .filter(p.rows_of(context))
        .filter(reached)
        .order_by()
        .values("partner_id")
        .annotate(n=Count("meeting_months"))
    )
    return {row["partner_id"]: row["n"] for row in rows}


def reached_months_of_duo(context: FigureContext) -> Any:
    """Per duo (a correlated subquery): its duo-months in the window that
    reached the minimum, under the same conditions as ``reached_months_total``.
    For the drill-down list."""
    from reporting.models import MeetingMonth

    if context.cadence_window() is None:
        return Value(0, output_field=IntegerField())
    return count_subquery(MeetingMonth.objects.filter(_reached_months(context)), "duo")
