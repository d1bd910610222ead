"""Funding figures: target attainment and budget per duo.

A funding convention has an amount, a period and a target of duos a year; it
may be split between partners (``ConventionShare``). A *part* is what one
row of a report gets from one convention:

* the total gets whole conventions (or, when the report is narrowed to one
  partner, that partner's parts);
* a partner gets its share when the convention is split, the whole
  convention when the convention is not split and funds that partner alone
  (all its duos are the partner's); an unsplit convention funding several
  partners has no per-partner part and counts only in the total.

Conventions are few: they are read once and their parts computed in Python;
duos are only ever counted in the database, in one query grouped by
(convention, partner) (``convention_duo_counts``).
"""

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from dateutil.relativedelta import relativedelta
from django.db import models
from django.db.models import Count, Value
from django.utils.translation import gettext_lazy as _

from duos.models import Duo
from programmes.models import ConventionShare

from .definitions import started_in

DAYS_IN_YEAR = Decimal(365)
MONTHS_IN_YEAR = Decimal(12)


class BudgetBasis(models.TextChoices):
    """How the planned target over a convention's period is pro-rated."""

    DAYS = "days", _("By days (target × days / 365)")
    MONTHS = "months", _("By months (target × months / 12)")


def convention_months(start, end):
    """Calendar months from ``start`` to ``end`` (both included); a partial
    month counts as its share of days (2018-06-01..2019-12-31 → 19)."""
    delta = relativedelta(end + relativedelta(days=1), start)
    whole = Decimal(delta.years * 12 + delta.months)
    if delta.days:
        anchor = start + relativedelta(months=int(whole))
        month_days = ((anchor + relativedelta(months=1)) - anchor).days
        whole += Decimal(delta.days) / Decimal(month_days)
    return whole


@dataclass(frozen=True)
class ConventionPart:
    convention_id: int
    period_start: object
    period_end: object
    amount: Decimal | None
    target_duos_per_year: int | None
    partner_id: int | None = None  # None: the whole convention, every partner's duos

    def planned_duos(self, basis=BudgetBasis.DAYS):
        """The target over the whole convention period, pro rata by days
        (``target × days / 365``) or by months (``target × months / 12``)."""
        if not self.target_duos_per_year:
            return None
        target = Decimal(self.target_duos_per_year)
        if basis == BudgetBasis.MONTHS:
            return target * convention_months(self.period_start, self.period_end) / MONTHS_IN_YEAR
        days = (self.period_end - self.period_start).days + 1
        return target * Decimal(days) / DAYS_IN_YEAR

    def target_for(self, period):
        """The target pro rata for the days of ``period`` inside the convention."""
        if not self.target_duos_per_year:
            return None
        days = period.overlap_days(self.period_start, self.period_end)
        return Decimal(self.target_duos_per_year) * Decimal(days) / DAYS_IN_YEAR

    def duo_counts(self, counts):
        """(duos started under this part at any date, of which in the period),
        from ``convention_duo_counts``."""
        under = in_period = 0
        for (convention_id, partner_id), (n_under, n_in_period) in counts.items():
            if convention_id == self.convention_id and self.partner_id in (None, partner_id):
                under += n_under
                in_period += n_in_period
        return under, in_period


@dataclass
class ConventionParts:
    conventions: list
    whole: list
    by_partner: dict

    def for_total(self, single_partner_id=None):
        if single_partner_id is not None:
            return self.by_partner.get(single_partner_id, [])
        return self.whole


def convention_parts(conventions):
    """The parts of ``conventions`` (an iterable of ``FundingConvention``):
    two queries, one for the shares and one for which partners each
    convention funds."""
    conventions = list(conventions)
    ids = [convention.pk for convention in conventions]
    shares = defaultdict(list)
    for share in ConventionShare.objects.filter(convention_id__in=ids).order_by("pk"):
        shares[share.convention_id].append(share)
    funded = defaultdict(set)
    pairs = Duo.objects.filter(convention_id__in=ids).order_by().values_list("convention_id", "partner_id").distinct()
    for convention_id, partner_id in pairs:
        funded[convention_id].add(partner_id)

    whole, by_partner = [], defaultdict(list)
    for convention in conventions:
        common = {
            "convention_id": convention.pk,
            "period_start": convention.period_start,
            "period_end": convention.period_end,
        }
        whole.append(
            ConventionPart(amount=convention.amount, target_duos_per_year=convention.target_duos_per_year, **common)
        )
        if shares[convention.pk]:
            for share in shares[convention.pk]:
                by_partner[share.partner_id].append(
                    ConventionPart(
                        amount=share.amount,
                        target_duos_per_year=share.target_duos_per_year,
                        partner_id=share.partner_id,
                        **common,
                    )
                )
        elif len(funded[convention.pk]) == 1:
            (partner_id,) = funded[convention.pk]
            by_partner[partner_id].append(
                ConventionPart(
                    amount=convention.amount,
                    target_duos_per_year=convention.target_duos_per_year,
                    partner_id=partner_id,
                    **common,
                )
            )
    return ConventionParts(conventions=conventions, whole=whole, by_partner=dict(by_partner))


def convention_duo_counts(duos, *, conventions, period):
    """``{(convention_id, partner_id): (started under it at any date, started
    in the period)}`` over ``duos``: one grouped query (without a ``period``,
    the second count is 0)."""
    ids = [convention.pk for convention in conventions]
    if not ids:
        return {}
    in_period = Count("pk", filter=started_in(period)) if period is not None else Value(0)
    rows = (
        duos.filter(convention_id__in=ids)
        .order_by()
        .values("convention_id", "partner_id")
        .annotate(under=Count("pk"), in_period=in_period)
    )
    return {(row["convention_id"], row["partner_id"]): (row["under"], row["in_period"]) for row in rows}


def started_under(parts, counts):
    """(duos started under ``parts`` at any date, of which in the period)."""
    under = in_period = 0
    for part in parts:
        n_under, n_in_period = part.duo_counts(counts)
        under += n_under
        in_period += n_in_period
    return under, in_period


def target_denominator(parts, period):
    """Sum of the parts' targets pro rata for ``period``."""
    targets = [part.target_for(period) for part in parts]
    return sum((target for target in targets if target is not None), Decimal(0))


def planned_budget_terms(parts, basis=BudgetBasis.DAYS):
    """(amount, planned duos) summed over the parts that have both."""
    amount, duos = Decimal(0), Decimal(0)
    for part in parts:
        planned = part.planned_duos(basis)
        if part.amount is None or planned is None:
            continue
        amount += part.amount
        duos += planned
    return amount, duos


def actual_budget_amount(parts):
    return sum((part.amount for part in parts if part.amount is not None), Decimal(0))
