"""Families: the code that computes a batch of figures of one kind, in a fixed
number of queries whatever the number of partners, duos and months, and that
narrows the duo list to a figure's numerator or denominator.

A family may put aggregates in the one grouped query over the duos that all
families share (``duo_aggregates``: one scan of the duos for every family),
and runs its own queries in ``evaluate``, which returns ``{row: {figure key:
(numerator, denominator)}}`` where a row is a partner id, ``NOT_SPLIT``
(money that belongs to no single partner) or ``TOTAL``. Its ``drill_down`` returns a
``DrillDown``: how to narrow a ``Duo`` queryset to the duos of one part of one
figure, and, for duo-months, the per-duo count to show and sum.

Built-in families: ``DUO_ROWS`` (counts and rates over duos: one grouped
aggregate), ``DUO_MONTHS`` (meeting cadence: two grouped queries, see
``cadence``), ``FUNDING`` (money and targets: three small queries, see
``funding``). Another kind of row registers its family with ``register_family``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import reduce
from operator import or_
from typing import TYPE_CHECKING, Any

from django.db.models import Count, Q, QuerySet, Sum

from . import cadence
from . import predicates as p
from .funding import NOT_SPLIT, BudgetBasis, funding_inputs, funding_terms
from .registry import DENOMINATOR, DUO_MONTHS, DUO_ROWS, FUNDING, NUMERATOR, FigureDefinition

if TYPE_CHECKING:
    from .context import FigureContext
    from .evaluate import FigureSources

TOTAL = "total"

FAMILIES: dict[str, Family] = {}


def register_family(family: Family) -> Family:
    FAMILIES[family.key] = family
    return family


def get_family(key: str) -> Family:
    return FAMILIES[key]


@dataclass(frozen=True)
class DrillDown:
    """Narrows duos to one part of one figure. ``apply(duos)`` returns the
    queryset; ``per_duo`` (optional) is an annotation counted per duo (for
    duo-months), whose sum over the list is the figure's part."""

    apply: Callable
    per_duo: object = None
    unit: str = "duos"


def _total(grouped: dict[Any, dict[str, tuple[Any, Any]]]) -> dict[str, tuple[Any, Any]]:
    total: dict = {}
    for row in grouped.values():
        for key, (numerator, denominator) in row.items():
            n, d = total.get(key, (0, None))
            total[key] = (n + (numerator or 0), None if denominator is None else (d or 0) + denominator)
    return total


class Family:
    key = ""

    def duo_aggregates(self, definitions: Sequence[FigureDefinition], context: FigureContext) -> dict[str, Any]:
        """``{alias: aggregate}`` to compute in the shared grouped query over
        the duos that can count (``predicates.rows_of``, primary outcome joined)."""
        return {}

    def evaluate(
        self,
        definitions: Sequence[FigureDefinition],
        *,
        sources: FigureSources,
        context: FigureContext,
        duo_values: dict[Any, dict[str, Any]],
        budget_basis: str = BudgetBasis.DAYS,
    ) -> dict[Any, dict[str, tuple[Any, Any]]]:
        """``{row: {key: (numerator, denominator)}}``; ``duo_values`` is
        ``{partner_id: {alias: value}}`` of the shared query."""
        raise NotImplementedError

    def drill_down(
        self,
        definition: FigureDefinition,
        part: str,
        *,
        sources: FigureSources,
        context: FigureContext,
        row: Any = None,
    ) -> DrillDown:
        raise NotImplementedError


class DuoRowsFamily(Family):
    """Figures whose numerator and denominator are ``Q`` conditions on duos
    (``definition.numerator(context)``): one aggregate over the duos that can
    count (``predicates.rows_of``), grouped by partner; the total is the sum of
    the partner rows (partners partition the duos)."""

    key = DUO_ROWS

    @staticmethod
    def _conditions(
        definitions: Sequence[FigureDefinition], context: FigureContext
    ) -> tuple[dict[str, Q], dict[tuple[str, str], str]]:
        """``({alias: Q}, {(key, part): alias})``: each distinct condition
        counted once (six rates share "closed duos" as their denominator)."""
        conditions, aliases = {}, {}
        by_text: dict = {}
        for definition in definitions:
            for part, build in ((NUMERATOR, definition.numerator), (DENOMINATOR, definition.denominator)):
                if build is None:
                    continue
                condition = build(context)
                alias = by_text.setdefault(str(condition), f"duo_rows_{len(by_text)}")
                conditions[alias] = condition
                aliases[(definition.key, part)] = alias
        return conditions, aliases

    def duo_aggregates(self, definitions: Sequence[FigureDefinition], context: FigureContext) -> dict[str, Any]:
        conditions, _aliases = self._conditions(definitions, context)
        return {alias: Count("pk", filter=condition) for alias, condition in conditions.items()}

    def evaluate(
        self,
        definitions: Sequence[FigureDefinition],
        *,
        sources: FigureSources,
        context: FigureContext,
        duo_values: dict[Any, dict[str, Any]],
        budget_basis: str = BudgetBasis.DAYS,
    ) -> dict[Any, dict[str, tuple[Any, Any]]]:
        _conditions, aliases = self._conditions(definitions, context)
        grouped = {}
        for partner_id, row in duo_values.items():
            grouped[partner_id] = {
                d.key: (
                    row[aliases[(d.key, NUMERATOR)]],
                    row[aliases[(d.key, DENOMINATOR)]] if d.denominator is not None else None,
                )
                for d in definitions
            }
        return {**grouped, TOTAL: _total(grouped)}

    def drill_down(
        self,
        definition: FigureDefinition,
        part: str,
        *,
        sources: FigureSources,
        context: FigureContext,
        row: Any = None,
    ) -> DrillDown:
        build = definition.numerator if part == NUMERATOR else definition.denominator
        condition = p.rows_of(context) & build(context)
        return DrillDown(apply=lambda duos: p.with_primary_outcome(p.counted(duos)).filter(condition))


class DuoMonthsFamily(Family):
    """The meeting cadence figure: duo-months and those that reached the
    programme's minimum (``cadence``)."""

    key = DUO_MONTHS
    ALIAS = "duo_months__den"

    def duo_aggregates(self, definitions: Sequence[FigureDefinition], context: FigureContext) -> dict[str, Any]:
        if not definitions or context.cadence_window() is None:
            return {}
        return {self.ALIAS: Sum(cadence.duo_months_in(context))}

    def evaluate(
        self,
        definitions: Sequence[FigureDefinition],
        *,
        sources: FigureSources,
        context: FigureContext,
        duo_values: dict[Any, dict[str, Any]],
        budget_basis: str = BudgetBasis.DAYS,
    ) -> dict[Any, dict[str, tuple[Any, Any]]]:
        if not definitions:
            return {}
        reached = cadence.reached_months_total(sources.duos, context)
        months = {partner_id: int(row.get(self.ALIAS) or 0) for partner_id, row in duo_values.items()}
        grouped = {
            partner_id: {d.key: (reached.get(partner_id, 0), months.get(partner_id, 0)) for d in definitions}
            for partner_id in set(reached) | set(months)
        }
        return {**grouped, TOTAL: _total(grouped)}

    def drill_down(
        self,
        definition: FigureDefinition,
        part: str,
        *,
        sources: FigureSources,
        context: FigureContext,
        row: Any = None,
    ) -> DrillDown:
        per_duo = cadence.reached_months_of_duo(context) if part == NUMERATOR else cadence.duo_months_in(context)

        def apply(duos: QuerySet) -> QuerySet:
            return (
                p.counted(duos).filter(p.rows_of(context)).annotate(figure_per_duo=per_duo).filter(figure_per_duo__gt=0)
            )

        return DrillDown(apply=apply, per_duo="figure_per_duo", unit="duo-months")


class FundingFamily(Family):
    """Target attainment and budgets per duo (``funding``): each definition's
    ``numerator`` and ``denominator`` name a field of ``FundingTerms``. Not
    computed for a programme (money is given to partners, not programmes)."""

    key = FUNDING

    @staticmethod
    def _rows(sources: FigureSources) -> dict[Any, set | None]:
        if sources.single_partner is not None:
            return {TOTAL: {sources.single_partner.pk}, sources.single_partner.pk: {sources.single_partner.pk}}
        # The partner ids each row sums (``None``: every partner).
        rows: dict[object, set | None] = {partner.pk: {partner.pk} for partner in sources.partners}
        rows[NOT_SPLIT] = {NOT_SPLIT}
        rows[TOTAL] = None
        return rows

    def evaluate(
        self,
        definitions: Sequence[FigureDefinition],
        *,
        sources: FigureSources,
        context: FigureContext,
        duo_values: dict[Any, dict[str, Any]],
        budget_basis: str = BudgetBasis.DAYS,
    ) -> dict[Any, dict[str, tuple[Any, Any]]]:
        if not definitions or sources.programme is not None:
            return {}
        holdings, counts = funding_inputs(sources, context.period)
        result = {}
        for row, keys in self._rows(sources).items():
            if row == NOT_SPLIT and not holdings.of("amount", keys) and not holdings.of("target", keys):
                continue
            terms = funding_terms(holdings, counts, period=context.period, rows=keys, basis=budget_basis)
            result[row] = {d.key: (getattr(terms, d.numerator), getattr(terms, d.denominator)) for d in definitions}
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
        holdings = funding_inputs(sources, context.period)[0] if sources.programme is None else None
        keys = self._rows(sources).get(row if row is not None else TOTAL, {row})
        field_name = definition.numerator if part == NUMERATOR else definition.denominator
        kind = "target" if field_name == "started_in_period" else "amount"
        pairs = holdings.pairs(kind, keys) if holdings is not None else set()
        by_convention: dict[int, set] = {}
        for convention_id, partner_id in pairs:
            by_convention.setdefault(convention_id, set()).add(partner_id)
        if not by_convention:
            condition = Q(pk__in=[])
        else:
            condition = reduce(
                or_,
                (Q(convention_id=cid, partner_id__in=sorted(ids)) for cid, ids in sorted(by_convention.items())),
            )
        if field_name == "started_in_period":
            condition &= p.started_in(context.period)
        else:
            condition &= Q(start_date__lte=context.period.date_to)
        return DrillDown(apply=lambda duos: p.counted(duos).filter(condition))


for _family in (DuoRowsFamily(), DuoMonthsFamily(), FundingFamily()):
    register_family(_family)

__all__ = ["DENOMINATOR", "FAMILIES", "NUMERATOR", "TOTAL", "DrillDown", "Family", "get_family", "register_family"]
