"""Money and targets: target attainment and budget per duo, per funder.

A funding convention has a funder, an amount, a period and a target of duos
a year; it may be split between partners (``ConventionShare``, each with its
own amount and target, either of which may be empty). A **holding** is what
one row of a report holds of one convention for one quantity (the amount or
the target), and whose duos count against it:

* a share with an amount (a target) is its partner's holding of that amount
  (target), against that partner's duos under the convention;
* what the shares leave (the convention's amount or target minus the shares
  that give one) is held by the one partner whose duos are left, when there is
  one (a convention that funds one partner alone is wholly that partner's);
  when several partners' duos are left, it belongs to no single partner: the
  **not split** row, against those partners' duos.

So money and targets count only the duos of the holdings that carry them
(a partner's duos under a share without an amount are in no budget per
duo), and partner rows plus the not-split row add up to the total.

Conventions are few: they are read once and their holdings computed in
Python; duos are only counted in the database, in one query grouped by
(convention, partner).
"""

from __future__ import annotations

import calendar
import datetime
from collections import defaultdict
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.db import models
from django.db.models import Count, QuerySet
from django.utils.translation import gettext_lazy as _

from duos.models import Duo
from programmes.models import ConventionShare, FundingConvention

from . import predicates as p

if TYPE_CHECKING:
    from .evaluate import FigureSources
    from .period import Period

NOT_SPLIT = "not-split"  # the row of what belongs to no single partner
ALL_FUNDERS = "*"
AMOUNT, TARGET = "amount", "target"


class BudgetBasis(models.TextChoices):
    """How the planned target over a convention's period is pro-rated."""

    DAYS = "days", _("By days (target × days / days of each year)")
    MONTHS = "months", _("By months (target × calendar months / 12)")


def year_fraction(start: datetime.date, end: datetime.date) -> Decimal:
    """Years from ``start`` to ``end`` (both included), each calendar year
    counting its own days (366 in a leap year): 2018-06-01..2019-12-31 is
    214/365 + 365/365."""
    if end < start:
        return Decimal(0)
    total = Decimal(0)
    for year in range(start.year, end.year + 1):
        first, last = max(start, datetime.date(year, 1, 1)), min(end, datetime.date(year, 12, 31))
        days_in_year = 366 if calendar.isleap(year) else 365
        total += Decimal((last - first).days + 1) / Decimal(days_in_year)
    return total


def month_fraction(start: datetime.date, end: datetime.date) -> Decimal:
    """Calendar months from ``start`` to ``end`` (both included); a partial
    month counts as its share of that month's days, so a longer period never
    counts fewer months (2018-06-01..2019-12-31 is 19; 2019-01-30..2019-02-28
    is 2/31 + 28/28)."""
    if end < start:
        return Decimal(0)
    total = Decimal(0)
    year, month = start.year, start.month
    while (year, month) <= (end.year, end.month):
        days = calendar.monthrange(year, month)[1]
        first, last = max(start, datetime.date(year, month, 1)), min(end, datetime.date(year, month, days))
        total += Decimal((last - first).days + 1) / Decimal(days)
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return total


@dataclass(frozen=True)
class Convention:
    id: int
    name: str
    slug: str
    funder: str
    amount: Decimal
    target_duos_per_year: int
    period_start: datetime.date
    period_end: datetime.date

    def target_for(self, period: Period, target: int | Decimal | None = None) -> Decimal:
        """``target`` (duos a year; the convention's by default) pro rata for
        the days of ``period`` inside the convention."""
        target = self.target_duos_per_year if target is None else target
        first, last = max(period.date_from, self.period_start), min(period.date_to, self.period_end)
        return Decimal(target) * year_fraction(first, last)

    def planned_duos(self, target: int | Decimal | None = None, basis: str = BudgetBasis.DAYS) -> Decimal:
        """``target`` over the whole convention period, pro rata by days or by months."""
        target = Decimal(self.target_duos_per_year if target is None else target)
        if basis == BudgetBasis.MONTHS:
            return target * month_fraction(self.period_start, self.period_end) / Decimal(12)
        return target * year_fraction(self.period_start, self.period_end)


@dataclass(frozen=True)
class Holding:
    """``quantity`` (EUR, or target duos a year) of ``convention`` held by
    ``row`` (a partner id or ``NOT_SPLIT``), against the duos of ``partner_ids``."""

    convention: Convention
    kind: str
    row: object
    quantity: Decimal
    partner_ids: frozenset


@dataclass
class Holdings:
    conventions: list
    holdings: list

    def of(self, kind: str, rows: Collection[Any] | None = None) -> list[Holding]:
        """The holdings of ``kind``, for ``rows`` (a set of row keys; all when ``None``)."""
        return [h for h in self.holdings if h.kind == kind and (rows is None or h.row in rows)]

    def pairs(self, kind: str, rows: Collection[Any] | None = None) -> set[tuple[int, Any]]:
        """``{(convention id, partner id)}`` whose duos count against those holdings."""
        return {(h.convention.id, partner_id) for h in self.of(kind, rows) for partner_id in h.partner_ids}


def _conventions(conventions: Iterable[FundingConvention]) -> list[Convention]:
    return [
        Convention(
            id=c.pk,
            name=c.name,
            slug=c.slug,
            funder=c.funder,
            amount=c.amount,
            target_duos_per_year=c.target_duos_per_year,
            period_start=c.period_start,
            period_end=c.period_end,
        )
        for c in conventions
    ]


def convention_holdings(conventions: Iterable[FundingConvention]) -> Holdings:
    """The holdings of ``conventions`` (an iterable of ``FundingConvention``):
    two queries, one for the shares and one for which partners' duos each
    convention funds."""
    read = _conventions(conventions)
    ids = [c.id for c in read]
    shares = defaultdict(list)
    for share in ConventionShare.objects.filter(convention_id__in=ids).order_by("pk"):
        shares[share.convention_id].append(share)
    funded = defaultdict(set)
    pairs = (
        p.counted(Duo.objects.filter(convention_id__in=ids))
        .order_by()
        .values_list("convention_id", "partner_id")
        .distinct()
    )
    for convention_id, partner_id in pairs:
        funded[convention_id].add(partner_id)

    holdings = []
    for convention in read:
        for kind, field_name, whole in (
            (AMOUNT, "amount", convention.amount),
            (TARGET, "target_duos_per_year", convention.target_duos_per_year),
        ):
            given = [s for s in shares[convention.id] if getattr(s, field_name) is not None]
            for share in given:
                holdings.append(
                    Holding(
                        convention, kind, share.partner_id, getattr(share, field_name), frozenset({share.partner_id})
                    )
                )
            left = Decimal(whole) - sum((Decimal(getattr(s, field_name)) for s in given), Decimal(0))
            if left <= 0:
                continue
            others = (funded[convention.id] | {s.partner_id for s in shares[convention.id]}) - {
                s.partner_id for s in given
            }
            row = next(iter(others)) if len(others) == 1 else NOT_SPLIT
            holdings.append(Holding(convention, kind, row, left, frozenset(others)))
    return Holdings(conventions=read, holdings=holdings)


def convention_duo_counts(
    duos: QuerySet, *, conventions: Iterable[Convention], period: Period
) -> dict[tuple[int, int], tuple[int, int]]:
    """``{(convention_id, partner_id): (started under it up to the period's
    end, started in the period)}`` over ``duos`` (one grouped query)."""
    ids = [convention.id for convention in conventions]
    if not ids:
        return {}
    rows = (
        p.counted(duos)
        .filter(convention_id__in=ids, start_date__lte=period.date_to)
        .order_by()
        .values("convention_id", "partner_id")
        .annotate(to_end=Count("pk"), in_period=Count("pk", filter=p.started_in(period)))
    )
    return {(row["convention_id"], row["partner_id"]): (row["to_end"], row["in_period"]) for row in rows}


def funding_inputs(sources: FigureSources, period: Period) -> tuple[Holdings, dict[tuple[int, int], tuple[int, int]]]:
    """``(holdings, counts)`` of ``sources`` (a ``FigureSources``) for
    ``period``, read once per sources and period (four small queries) and
    shared by the money figures and the per-convention table."""
    key = ("funding", period)
    if key not in sources.cache:
        holdings = convention_holdings(sources.conventions)
        counts = convention_duo_counts(sources.duos, conventions=holdings.conventions, period=period)
        sources.cache[key] = (holdings, counts)
    return sources.cache[key]


@dataclass(frozen=True)
class FundingTerms:
    """The numerators and denominators of the money figures of one row."""

    started_in_period: int  # duos started in the period under the target holdings
    target: Decimal  # the target holdings pro rata for the period
    planned_amount: Decimal  # amounts of the conventions whose amount and target the row both holds (total: all)
    planned_duos: Decimal  # their targets over the whole convention periods
    amount: Decimal  # the amount holdings
    duos_to_end: int  # duos started under the amount holdings up to the period's end


def funding_terms(
    holdings: Holdings,
    counts: dict[tuple[int, int], tuple[int, int]],
    *,
    period: Period,
    rows: Collection[Any] | None = None,
    basis: str = BudgetBasis.DAYS,
) -> FundingTerms:
    """``FundingTerms`` of the holdings of ``rows`` (all rows when ``None``)."""

    def duos(holding: Holding, index: int) -> int:
        return sum(counts.get((holding.convention.id, partner), (0, 0))[index] for partner in holding.partner_ids)

    targets, amounts = holdings.of(TARGET, rows), holdings.of(AMOUNT, rows)
    started = sum(duos(h, 1) for h in targets)
    target = sum((h.convention.target_for(period, h.quantity) for h in targets), Decimal(0))
    amount = sum((h.quantity for h in amounts), Decimal(0))
    duos_to_end = sum(duos(h, 0) for h in amounts)
    planned_amount = planned_duos = Decimal(0)
    if rows is None:  # the total: whole conventions
        for convention in holdings.conventions:
            planned_amount += convention.amount
            planned_duos += convention.planned_duos(basis=basis)
    else:
        by_key: defaultdict[tuple, dict] = defaultdict(dict)
        for holding in targets + amounts:
            by_key[(holding.convention.id, holding.row)][holding.kind] = holding
        for pair in by_key.values():
            if AMOUNT in pair and TARGET in pair:
                planned_amount += pair[AMOUNT].quantity
                planned_duos += pair[TARGET].convention.planned_duos(pair[TARGET].quantity, basis)
    return FundingTerms(started, target, planned_amount, planned_duos, amount, duos_to_end)
