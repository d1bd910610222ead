"""Time to match: how long mentees wait between their registration and the
start of their first duo, as a median per partner and in total.

A mentee is *matched in the period* when their first duo (cancelled ones,
entered by mistake, aside; the first by start date, then by id) starts in
it; its days are that start minus the mentee's registration date
(``Mentee.registered_on``), a registration recorded after the start counting
0 days. The median is computed by the database: window functions number each
row within its partner (ordered by days) and count the rows, and only the
middle one or two rows, of a partner or of all, come back (one query
whatever the number of mentees and partners); with an even count the median is the mean
of the two middle values. The same SQL runs on PostgreSQL and SQLite.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import ROUND_HALF_UP, Decimal
from typing import TYPE_CHECKING, Any

from django.db.models import Count, DurationField, Exists, ExpressionWrapper, F, OuterRef, Q, QuerySet, Window
from django.db.models.functions import RowNumber

from duos.models import Duo, DuoStatus

from . import predicates as p
from .families import TOTAL, DrillDown, Family, register_family
from .registry import MENTEE_MATCHES
from .values import ONE_DECIMAL

if TYPE_CHECKING:
    from .context import FigureContext
    from .evaluate import FigureSources
    from .period import Period
    from .registry import FigureDefinition

Medians = dict[Any, tuple[Decimal, int]]


def first_duos_started_in(period: Period) -> Q:
    """``Q`` on ``Duo``: the duos that are their mentee's first (cancelled
    ones aside) and start in ``period``."""
    earlier = (
        Duo.objects.filter(mentee_id=OuterRef("mentee_id"))
        .exclude(status=DuoStatus.CANCELLED)
        .filter(Q(start_date__lt=OuterRef("start_date")) | Q(start_date=OuterRef("start_date"), pk__lt=OuterRef("pk")))
    )
    return p.started_in(period) & ~Q(Exists(earlier))


def _middle(position: str, count: str) -> Q:
    """``Q``: the row at ``position`` (of ``count``) is a middle one: (n + 1) / 2
    or (n + 2) / 2 in integer division (one row when n is odd, two when even)."""
    return Q(**{f"{position}__gte": (F(count) + 1) / 2, f"{position}__lte": (F(count) + 2) / 2})


def _window(function: RowNumber | Count, partition: str | None) -> Window:
    order_by = [F("match_days").asc(), F("pk").asc()] if isinstance(function, RowNumber) else None
    return Window(function, partition_by=[F(partition)] if partition else None, order_by=order_by)


def _medians(matches: QuerySet) -> Medians:
    """``{partner_id or TOTAL: (median, count)}`` from ONE query: each row is
    numbered within its partner and among all, and only the rows in the
    middle of either come back."""
    rows = (
        matches.annotate(
            partner_position=_window(RowNumber(), "partner_id"),
            partner_count=_window(Count("pk"), "partner_id"),
            total_position=_window(RowNumber(), None),
            total_count=_window(Count("pk"), None),
        )
        .filter(_middle("partner_position", "partner_count") | _middle("total_position", "total_count"))
        .values_list("partner_id", "match_days", "partner_position", "partner_count", "total_position", "total_count")
    )
    middles: dict[Any, tuple[int, list[int]]] = {}
    for partner_id, days, partner_position, partner_count, total_position, total_count in rows:
        days = max(0, days.days)  # a registration recorded after the start: 0 days
        for group, position, count in (
            (partner_id, partner_position, partner_count),
            (TOTAL, total_position, total_count),
        ):
            if (count + 1) // 2 <= position <= (count + 2) // 2:
                middles.setdefault(group, (count, []))[1].append(days)
    return {
        group: ((Decimal(sum(values)) / len(values)).quantize(ONE_DECIMAL, rounding=ROUND_HALF_UP), count)
        for group, (count, values) in middles.items()
    }


def time_to_match(duos: QuerySet, period: Period) -> Medians:
    """``{partner_id or TOTAL: (median days, mentees matched)}`` over ``duos``
    (already narrowed to what the user may see and the scope) for
    ``period``; a partner without a match in the period is absent. One
    query."""
    matches = (
        p.counted(duos)
        .filter(first_duos_started_in(period))
        .annotate(
            match_days=ExpressionWrapper(F("start_date") - F("mentee__registered_on"), output_field=DurationField())
        )
        .order_by()
    )
    return _medians(matches)


class MenteeMatchesFamily(Family):
    """Figures over the mentees matched in the period (``time_to_match``);
    the denominator's list is their first duos."""

    key = MENTEE_MATCHES

    def evaluate(
        self,
        definitions: Sequence[FigureDefinition],
        *,
        sources: FigureSources,
        context: FigureContext,
        duo_values: dict[Any, dict[str, Any]],
        budget_basis: str | None = None,
    ) -> dict[Any, dict[str, tuple[Any, Any]]]:
        if not definitions:
            return {}
        medians = time_to_match(sources.duos, context.period)
        result = {row: {d.key: medians.get(row, (None, 0)) for d in definitions} for row in medians}
        result.setdefault(TOTAL, {d.key: (None, 0) for d in definitions})
        return result

    def drill_down(
        self,
        definition: FigureDefinition,
        part: str,
        *,
        sources: FigureSources,
        context: FigureContext,
        row: Any = None,
    ) -> DrillDown:
        condition = first_duos_started_in(context.period)
        return DrillDown(apply=lambda duos: p.counted(duos).filter(condition))


register_family(MenteeMatchesFamily())
