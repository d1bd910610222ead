"""Which duos a figure counts, as conditions (``Q``) on rows of ``Duo``.

The figures, their drill-down lists and the reports all build on these, so a
duo is "closed", "started" or "active" in the same sense everywhere:

* a duo is **active on a day** when it started on or before that day and had
  not closed by then: a closed duo's end date is the day it stops. So the duos
  started in a period are those closed since plus those still active, and a
  "duo-month" (the cadence figure) is a month the duo was active on every day;
* a **cancelled** duo (entered by mistake) is in no figure (``counted``);
* figures use each closed duo's **primary** outcome, joined through a
  ``FilteredRelation`` on ``is_primary`` (the ``one_primary_outcome_per_duo``
  constraint makes that join single-valued: it cannot multiply rows).
"""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING

from django.db.models import FilteredRelation, Q, QuerySet

from duos.models import DuoStatus

from .context import FigureView

if TYPE_CHECKING:
    from .context import FigureContext
    from .period import Period

PRIMARY = "primary_outcome"


def counted(duos: QuerySet) -> QuerySet:
    """``duos`` without the cancelled ones: the base of every figure."""
    return duos.exclude(status=DuoStatus.CANCELLED)


def with_primary_outcome(duos: QuerySet) -> QuerySet:
    """``duos`` with the primary outcome reachable as ``primary_outcome__...``
    (a LEFT JOIN restricted to ``is_primary``: at most one row per duo)."""
    return duos.alias(**{PRIMARY: FilteredRelation("outcomes", condition=Q(outcomes__is_primary=True))})


def started_in(period: Period) -> Q:
    return Q(start_date__gte=period.date_from, start_date__lte=period.date_to)


def closed_in(period: Period) -> Q:
    return Q(status=DuoStatus.CLOSED, end_date__gte=period.date_from, end_date__lte=period.date_to)


def active_on(day: datetime.date) -> Q:
    """Started on or before ``day`` and not closed by then (no end date, or an end date after it)."""
    return Q(start_date__lte=day) & (Q(end_date__isnull=True) | Q(end_date__gt=day))


def alive_in(period: Period) -> Q:
    """Started on or before the end of ``period`` and not ended before its start."""
    return Q(start_date__lte=period.date_to) & (Q(end_date__isnull=True) | Q(end_date__gte=period.date_from))


def rows_of(context: FigureContext) -> Q:
    """The only duos any figure of ``context`` can count: those alive in the
    period, or the cohort (duos started in the period)."""
    if context.view == FigureView.COHORT:
        return started_in(context.period)
    return alive_in(context.period)


def closed_duos(context: FigureContext) -> Q:
    """The closed duos of the view, every outcome rate's denominator: closed in
    the period; for a cohort, started in the period and closed by the as-of date."""
    if context.view == FigureView.COHORT:
        return started_in(context.period) & Q(status=DuoStatus.CLOSED, end_date__lte=context.as_of)
    return closed_in(context.period)


def started_duos(context: FigureContext) -> Q:
    return started_in(context.period)


def active_at_end(context: FigureContext) -> Q:
    """Active on the last day of the period; for a cohort, started in the
    period and still active on the as-of date."""
    if context.view == FigureView.COHORT:
        return started_in(context.period) & active_on(context.cohort_as_of)
    return active_on(context.period.date_to)


def outcome_is(*types: str) -> Q:
    return Q(**{f"{PRIMARY}__type__in": [str(value) for value in types]})


def contract_is(contract: str) -> Q:
    return Q(**{f"{PRIMARY}__contract_type": contract})


def no_outcome() -> Q:
    return Q(**{f"{PRIMARY}__id__isnull": True})
