"""The meeting cadence figure, in a fixed number of queries whatever the
length of the period (one month or a hundred years).

**Duo-months** (the denominator) are counted by arithmetic on month numbers,
per duo, in the one aggregate over the duos: with ``n(d) = 12 × year + month``,
a duo's first whole active month is ``n(start)`` (``+ 1`` unless it started on
the 1st) and its last is ``n(end) − 1`` (a duo is not active on its end date,
see ``predicates``); its duo-months in the window are the overlap of that
range with the window's months. No month is ever listed in SQL.

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

from django.db.models import Case, Count, F, IntegerField, OuterRef, Q, Subquery, Sum, Value, When
from django.db.models.functions import Coalesce, ExtractMonth, ExtractYear, Greatest, Least

from . import predicates as p


def month_number(day):
    """``12 × year + month`` of a date, as a database expression or for a Python date."""
    if hasattr(day, "year"):
        return day.year * 12 + day.month
    return ExtractYear(day) * 12 + ExtractMonth(day)


def duo_months_in(context, prefix=""):
    """Per duo: how many calendar months of the context's cadence window the
    duo was active on every day (an integer expression, 0 when none)."""
    window = context.cadence_window()
    if window is None:
        return Value(0, output_field=IntegerField())
    first, last = (Value(month_number(day), output_field=IntegerField()) for day in window)
    start, end = F(f"{prefix}start_date"), F(f"{prefix}end_date")
    first_whole = month_number(start) + Case(
        When(**{f"{prefix}start_date__day": 1}, then=Value(0)), default=Value(1), output_field=IntegerField()
    )
    last_whole = Coalesce(month_number(end) - 1, last)
    months = Least(last, last_whole) - Greatest(first, first_whole) + 1
    return Greatest(months, Value(0), output_field=IntegerField())


def duo_months_total(duos, context):
    """``{partner_id: duo-months}`` over ``duos`` (one grouped query)."""
    if context.cadence_window() is None:
        return {}
    rows = (
        p.counted(duos)
        .filter(p.rows_of(context))
        .order_by()
        .values("partner_id")
        .annotate(n=Sum(duo_months_in(context)))
    )
    return {row["partner_id"]: int(row["n"] or 0) for row in rows}


def _reached_months(context):
    """Conditions on ``MeetingMonth`` rows: the month is in the window, the duo
    was active that whole month, and its held meetings reach the minimum."""
    first, last = context.cadence_window()
    return (
        Q(month__gte=first, month_end__lte=last, duo__start_date__lte=F("month"))
        & (Q(duo__end_date__isnull=True) | Q(duo__end_date__gt=F("month_end")))
        & Q(held_meetings__gte=F("duo__programme__min_meetings_per_month"))
    )


def reached_months_total(duos, context):
    """``{partner_id: duo-months that reached the minimum}`` over ``duos`` (one
    grouped query over ``MeetingMonth``)."""
    from reporting.models import MeetingMonth

    if context.cadence_window() is None:
        return {}
    duo_ids = p.counted(duos).filter(p.rows_of(context)).values("pk")
    rows = (
        MeetingMonth.objects.filter(duo__in=duo_ids)
        .filter(_reached_months(context))
        .order_by()
        .values("duo__partner_id")
        .annotate(n=Count("pk"))
    )
    return {row["duo__partner_id"]: row["n"] for row in rows}


def reached_months_of_duo(context):
    """Per duo (a correlated subquery): its duo-months in the window that
    reached the minimum, under the same conditions as ``reached_months_total``.
    For the drill-down list."""
    from reporting.models import MeetingMonth

    if context.cadence_window() is None:
        return Value(0, output_field=IntegerField())
    rows = (
        MeetingMonth.objects.filter(duo=OuterRef("pk"))
        .filter(_reached_months(context))
        .order_by()
        .values("duo")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(rows, output_field=IntegerField()), Value(0))
