"""The counts of the figures after the duo (docs/figures.md), as database
expressions over rows of ``Duo``, so that they group by partner in one query
like the other duo figures. Only closed duos count (a cancelled duo is in no
figure; an open one has no follow-up).

A period counts the follow-ups that *fall due* in it (the closure date plus
the offset, ``followups.dates``): the follow-ups at 6 months of a quarter are
those of the duos closed six months before it. So the three figures of one
period speak of the same follow-ups, and each follow-up counts in exactly one
period. Which follow-ups count is a parameter, ``due(months)`` (a ``Q`` on
duos): ``due_in`` a period by default; the cohort view
(``reporting.figures.after_closure``) takes the duos started in the period
whose follow-ups fell due by the as-of date (``due_by``).

* **Job retention at 6 / 12 months**: follow-ups at that offset, due in the
  period, showing a salaried job or self-employment / those with a known
  situation (anything but "lost contact"). Beside it, the *unknowns*: due
  follow-ups at that offset (the programme asks for it) recorded as "lost
  contact" or not recorded at all.
* **Employed within 12 months**: duos whose 12 months after closure end in
  the period (so closed at least 12 months before the report date) whose
  closure outcome or a follow-up at 12 months or less shows a salaried job or
  self-employment / those duos.
* **Follow-up completion**: follow-ups due in the period (each offset the
  duo's programme asks for) that are recorded, whatever the situation / the
  follow-ups due in the period.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable
from typing import Any

from dateutil.relativedelta import relativedelta
from django.db.models import Case, Count, Exists, IntegerField, OuterRef, Q, QuerySet, Sum, Value, When
from django.db.models.functions import Coalesce

from duos.models import DuoStatus, Outcome, OutcomeType

from .dates import closure_range
from .models import EMPLOYED_SITUATIONS, UNKNOWN_SITUATION, FollowUp, FollowUpOffset

RETENTION_MONTHS = (6, 12)
WITHIN_MONTHS = 12
EMPLOYED = [str(value) for value in EMPLOYED_SITUATIONS]
KNOWN = [str(value) for value in OutcomeType.values if value != UNKNOWN_SITUATION]
COMPLETION = "follow_up_completion"

# Which follow-ups count: ``due(months)`` is a ``Q`` on duos (``due_in`` a period, say).
Due = Callable[[int], Q]


def due_in(period: Any, months: int) -> Q:
    """``Q``: closed duos whose follow-up at ``months`` falls due in ``period``
    (anything with ``date_from`` and ``date_to``)."""
    closed = closure_range(period.date_from, period.date_to, months)
    if closed is None:
        return Q(pk__in=[])
    return Q(status=DuoStatus.CLOSED, end_date__range=closed)


def due_by(day: datetime.date, months: int) -> Q:
    """``Q``: closed duos whose follow-up at ``months`` fell due on or before ``day``."""
    closed = closure_range(day - relativedelta(months=1), day, months)
    last = closed[1] if closed is not None else day - relativedelta(months=months + 1)
    return Q(status=DuoStatus.CLOSED, end_date__lte=last)


def offers(months: int) -> Exists:
    """The duo's programme asks for a follow-up at ``months``."""
    return Exists(FollowUpOffset.objects.filter(programme=OuterRef("programme"), months=months))


def recorded(months: int, **filters: object) -> Exists:
    """A follow-up at ``months`` is recorded for the duo (narrowed by ``filters``)."""
    return Exists(FollowUp.objects.filter(duo=OuterRef("pk"), offset_months=months, **filters))


def retention_conditions(due: Due, months: int) -> dict[str, Q]:
    """``{"numerator", "denominator", "unknown"}``: ``Q`` on duos of job
    retention at ``months``; ``due(months)`` is the ``Q`` of the duos whose
    follow-up at ``months`` counts (``due_in`` a period, say)."""
    counted = due(months)
    known = Q(recorded(months, situation__in=KNOWN))
    return {
        "numerator": counted & Q(recorded(months, situation__in=EMPLOYED)),
        "denominator": counted & known,
        "unknown": counted & Q(offers(months)) & ~known,
    }


def employed_within_conditions(due: Due, months: int = WITHIN_MONTHS) -> dict[str, Q]:
    """``{"numerator", "denominator"}``: ``Q`` on duos of "employed within 12 months"."""
    counted = due(months)
    # Subqueries, not joins: nothing multiplies the duo rows the other counts read.
    employed_at_closure = Exists(Outcome.objects.filter(duo=OuterRef("pk"), is_primary=True, type__in=EMPLOYED))
    employed_later = Exists(
        FollowUp.objects.filter(duo=OuterRef("pk"), offset_months__lte=months, situation__in=EMPLOYED)
    )
    return {
        "numerator": counted & (Q(employed_at_closure) | Q(employed_later)),
        "denominator": counted,
    }


def duo_conditions(due: Due) -> dict[str, Q]:
    """``{alias: Q}`` of every follow-up figure part that counts duos (one
    follow-up per duo at one offset): ``retention_6__numerator``, ...,
    ``employed_within_12__denominator``."""
    conditions = {}
    for months in RETENTION_MONTHS:
        for part, condition in retention_conditions(due, months).items():
            conditions[f"retention_{months}__{part}"] = condition
    for part, condition in employed_within_conditions(due).items():
        conditions[f"employed_within_{WITHIN_MONTHS}__{part}"] = condition
    return conditions


def completion_per_duo(due: Due, offsets: Iterable[int]) -> dict[str, Any]:
    """``{"numerator", "denominator"}``: per-duo integer expressions of
    follow-up completion, the follow-ups of the duo that are due (at each
    offset its programme asks for, among ``offsets``) and, for the numerator,
    recorded. A duo may have several follow-ups due in one period (3 and 6
    months in a year), so completion counts follow-ups, not duos."""

    def one_if(condition: Q) -> Case:
        return Case(When(condition, then=Value(1)), default=Value(0), output_field=IntegerField())

    numerator: Any = Value(0, output_field=IntegerField())
    denominator: Any = Value(0, output_field=IntegerField())
    for months in offsets:
        counted = due(months) & Q(offers(months))
        numerator = numerator + one_if(counted & Q(recorded(months)))
        denominator = denominator + one_if(counted)
    return {"numerator": numerator, "denominator": denominator}


def reachable(due: Due, offsets: Iterable[int]) -> Q:
    """``Q``: the only duos whose follow-ups any figure can count."""
    condition = Q(pk__in=[])
    for months in {*offsets, *RETENTION_MONTHS, WITHIN_MONTHS}:
        condition |= due(months)
    return condition


def follow_up_counts(
    duos: QuerySet, *, offsets: Iterable[int], period: Any = None, due: Due | None = None
) -> dict[Any, dict[str, int]]:
    """Every count of the follow-up figures over ``duos`` in ONE query grouped
    by partner: ``{partner_id: {"retention_6__numerator": n, ...,
    "follow_up_completion__denominator": n}}``. The follow-ups counted are
    those due in ``period`` or, when given, those of ``due(months)`` (a
    function returning a ``Q`` on duos). ``offsets``: the offsets in use
    (``followups.selectors.offsets_in_use``). Only the duos whose follow-ups
    can count are read."""
    if due is None:
        due = lambda months: due_in(period, months)  # noqa: E731
    aggregates: dict[str, Any] = {
        alias: Count("pk", filter=condition) for alias, condition in duo_conditions(due).items()
    }
    for part, expression in completion_per_duo(due, offsets).items():
        aggregates[f"{COMPLETION}__{part}"] = Coalesce(Sum(expression), 0)
    rows = duos.filter(reachable(due, offsets)).order_by().values("partner_id").annotate(**aggregates)
    return {row.pop("partner_id"): row for row in rows}
