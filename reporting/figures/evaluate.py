"""Every registered figure at once, per partner, for what belongs to no single
partner, and in total: ``figure_set``.

``FigureSources`` says which duos, partners and conventions a figure set
reads (``reporting.selectors`` builds it from what the user may see);
``FigureContext`` says for which period and view. Each family computes its
figures in a fixed number of queries, so a figure set costs the same whatever
the number of partners, duos and months.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.db.models import QuerySet

from programmes.models import FundingConvention, Partner, Programme

from . import predicates as p
from .context import FigureContext, FigureView
from .families import TOTAL, get_family
from .funding import NOT_SPLIT, BudgetBasis
from .period import Period
from .registry import FUNDING, definitions, versions
from .values import Rounding, Unit, count_figure, median_days_figure, money_per_duo_figure, rate_figure

if TYPE_CHECKING:
    from .registry import FigureDefinition
    from .values import Figure


@dataclass(frozen=True)
class FigureSources:
    """The rows a figure set reads: ``duos`` (a queryset the caller narrowed to
    what the user may see and to the scope), the ``partners`` to show a row
    for, the funding ``conventions`` in scope, the one partner the set is
    narrowed to (its total is that partner's row), if any, and the programme
    in scope, if any (money is not counted per programme)."""

    duos: QuerySet
    partners: list[Partner]
    conventions: list[FundingConvention]
    single_partner: Partner | None = None
    programme: Programme | None = None
    funder: str = ""
    # Reads that several families and tables share (the conventions' holdings...).
    cache: dict = field(default_factory=dict, compare=False, repr=False)


@dataclass
class FigureSet:
    """Every figure for each partner row, the not-split row (money only) and
    in total, with the settings used. A row maps each key to a ``Figure``, or
    to ``None`` where the figure does not apply (money of a programme, duo
    counts of the not-split row)."""

    context: FigureContext
    rounding: str
    budget_basis: str
    funder: str = ""
    keys: tuple = ()
    partners: list = field(default_factory=list)  # [(Partner, {key: Figure})]
    not_split: dict | None = None  # {key: Figure}, money that belongs to no single partner
    total: dict = field(default_factory=dict)  # {key: Figure}

    @property
    def period(self) -> Period:
        return self.context.period

    def rows(self) -> list[tuple[Any, dict[str, Figure | None]]]:
        """``[(label key, row)]``: each partner, then the not-split row when there is one."""
        rows = [(partner, row) for partner, row in self.partners]
        if self.not_split is not None:
            rows.append((NOT_SPLIT, self.not_split))
        return rows

    def as_dict(self) -> dict[str, Any]:
        def figures(row: dict[str, Figure | None]) -> dict[str, Any]:
            cells = {key: row.get(key) for key in self.keys}
            return {key: None if figure is None else figure.as_dict() for key, figure in cells.items()}

        data = {
            "period": self.context.period.as_dict(),
            "view": str(self.context.view),
            "rounding": str(self.rounding),
            "budget_basis": str(self.budget_basis),
            "funder": self.funder or None,
            "definitions": {key: version for key, version in versions().items() if key in self.keys},
            "partners": [{"partner": partner.slug, **figures(row)} for partner, row in self.partners],
            "total": figures(self.total),
        }
        if self.context.is_cohort:
            data["as_of"] = self.context.cohort_as_of.isoformat()
        if self.not_split is not None:
            data["not_split"] = figures(self.not_split)
        return data


def make_figure(
    definition: FigureDefinition, numerator: Any, denominator: Any, rounding: str = Rounding.HALF_UP
) -> Figure:
    """The ``Figure`` of ``definition`` from its counted parts."""
    if definition.unit == Unit.COUNT:
        return count_figure(numerator)
    if definition.unit == Unit.EUR:
        return money_per_duo_figure(numerator, denominator)
    if definition.unit == Unit.DAYS:
        return median_days_figure(numerator, denominator)
    return rate_figure(numerator, denominator, rounding)


def shared_duo_query(duos: QuerySet, context: FigureContext, aggregates: dict[str, Any]) -> dict[Any, dict[str, Any]]:
    """``{partner_id: {alias: value}}``: every family's aggregates over the
    duos that can count in ``context``, in ONE query grouped by partner (the
    primary outcome joined; it is single-valued, so no row is multiplied)."""
    if not aggregates:
        return {}
    rows = (
        p.with_primary_outcome(p.counted(duos).filter(p.rows_of(context)))
        .order_by()
        .values("partner_id")
        .annotate(**aggregates)
    )
    return {row.pop("partner_id"): row for row in rows}


def evaluate(
    sources: FigureSources,
    context: FigureContext,
    *,
    keys: Iterable[str] | None = None,
    rounding: str = Rounding.HALF_UP,
    budget_basis: str = BudgetBasis.DAYS,
) -> dict[Any, dict[str, Figure | None]]:
    """``{row: {key: Figure or None}}`` for the figures ``keys`` (all when
    ``None``); rows are partner ids, ``NOT_SPLIT`` and ``TOTAL``."""
    chosen = definitions(keys)
    by_family: dict[str, list] = {}
    for definition in chosen:
        by_family.setdefault(definition.family, []).append(definition)
    aggregates = {}
    for family_key, family_definitions in by_family.items():
        aggregates.update(get_family(family_key).duo_aggregates(family_definitions, context))
    duo_values = shared_duo_query(sources.duos, context, aggregates)
    raw: dict = {}
    for family_key, family_definitions in by_family.items():
        result = get_family(family_key).evaluate(
            family_definitions, sources=sources, context=context, duo_values=duo_values, budget_basis=budget_basis
        )
        for row, values in result.items():
            raw.setdefault(row, {}).update(values)
    rows = [partner.pk for partner in sources.partners] + [TOTAL]
    if NOT_SPLIT in raw:
        rows.append(NOT_SPLIT)
    figures: dict = {}
    for row in rows:
        values = raw.get(row, {})
        figures[row] = {}
        for definition in chosen:
            not_in_row = row == NOT_SPLIT and definition.key not in values
            if not_in_row or (definition.family == FUNDING and sources.programme is not None):
                figures[row][definition.key] = None
            else:
                numerator, denominator = values.get(definition.key, (0, 0))
                figures[row][definition.key] = make_figure(definition, numerator, denominator, rounding)
    return figures


def figure_set(
    *,
    sources: FigureSources,
    context: FigureContext,
    rounding: str = Rounding.HALF_UP,
    budget_basis: str = BudgetBasis.DAYS,
    keys: Iterable[str] | None = None,
) -> FigureSet:
    """All figures (or those of ``keys``) of ``sources`` for ``context``, per
    partner, for the not-split row and in total. ``sources.single_partner``
    set: the total is that partner's row and there is no not-split row."""
    chosen = tuple(definition.key for definition in definitions(keys))
    values = evaluate(sources, context, keys=chosen, rounding=rounding, budget_basis=budget_basis)
    result = FigureSet(
        context=context, rounding=rounding, budget_basis=budget_basis, funder=sources.funder, keys=chosen
    )
    result.partners = [(partner, values[partner.pk]) for partner in sources.partners]
    result.total = values[TOTAL]
    if NOT_SPLIT in values and sources.single_partner is None:
        result.not_split = values[NOT_SPLIT]
    return result


def _sources(duos: QuerySet, conventions: Iterable[FundingConvention] = ()) -> FigureSources:
    return FigureSources(duos=duos, partners=[], conventions=list(conventions))


def total_figure(
    key: str,
    duos: QuerySet,
    *,
    period: Period,
    rounding: str = Rounding.HALF_UP,
    view: str = FigureView.CLOSED,
    as_of: datetime.date | None = None,
    today: datetime.date | None = None,
) -> Figure | None:
    """One figure over ``duos`` (already narrowed to what the user may see),
    in total: ``total_figure("employment_rate", duos, period=...)``."""
    context = FigureContext(period=period, view=view, as_of=as_of, today=today)
    return evaluate(_sources(duos), context, keys=[key], rounding=rounding)[TOTAL][key]


def funding_figure(
    key: str,
    duos: QuerySet,
    *,
    conventions: Iterable[FundingConvention],
    period: Period | None = None,
    rounding: str = Rounding.HALF_UP,
    budget_basis: str = BudgetBasis.DAYS,
) -> Figure | None:
    """A money figure of ``conventions`` over ``duos``, in total, for
    ``period`` (by default the conventions' whole span)."""
    conventions = list(conventions)
    if period is None:
        period = Period(min(c.period_start for c in conventions), max(c.period_end for c in conventions))
    context = FigureContext(period=period)
    return evaluate(_sources(duos, conventions), context, keys=[key], rounding=rounding, budget_basis=budget_basis)[
        TOTAL
    ][key]
