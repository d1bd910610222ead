"""The figures of DESIGN.md ("The figures, defined once"), one named function
each, and ``figure_set`` which computes all of them per partner and in total.

Every function takes ``duos``, a ``Duo`` queryset the caller has already
narrowed to what the user may see (``Duo.objects.visible_to(user)``) and to
the report's partner / programme / convention, and a ``Period`` (both days
included). Rates count closed duos by their PRIMARY outcome; open duos are
never in a denominator. A figure with a zero denominator has value ``None``.
"""

from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _

from . import definitions as d
from .funding import (
    BudgetBasis,
    actual_budget_amount,
    convention_duo_counts,
    convention_parts,
    planned_budget_terms,
    started_under,
    target_denominator,
)
from .values import Rounding, Unit, count_figure, money_per_duo_figure, rate_figure


@dataclass(frozen=True)
class FigureInfo:
    """What a report says about a figure: its label and how it is counted."""

    key: str
    label: str
    numerator: str
    denominator: str
    unit: str


FIGURES = (
    FigureInfo(
        "duos_started",
        _("Duos started"),
        _("duos whose start date is in the period"),
        _("none (a count)"),
        Unit.COUNT,
    ),
    FigureInfo(
        "duos_closed",
        _("Duos closed"),
        _("duos closed with an end date in the period"),
        _("none (a count)"),
        Unit.COUNT,
    ),
    FigureInfo(
        "duos_active_at_end",
        _("Duos active at the end of the period"),
        _("duos started on or before the last day of the period and not ended on or before it"),
        _("none (a count)"),
        Unit.COUNT,
    ),
    FigureInfo(
        "employment_rate",
        _("Employment rate"),
        _("duos closed in the period whose primary outcome is a salaried job"),
        _("duos closed in the period"),
        Unit.PERCENT,
    ),
    FigureInfo(
        "employment_rate_incl_self_employment",
        _("Employment rate incl. self-employment"),
        _("duos closed in the period whose primary outcome is a salaried job or self-employment"),
        _("duos closed in the period"),
        Unit.PERCENT,
    ),
    FigureInfo(
        "positive_outcome_rate",
        _("Positive outcome rate"),
        _(
            "duos closed in the period whose primary outcome is a job, self-employment, in-company training "
            "(FPI), a training, an internship or studies"
        ),
        _("duos closed in the period"),
        Unit.PERCENT,
    ),
    FigureInfo(
        "stable_job_rate",
        _("Stable job rate"),
        _("duos closed in the period whose primary outcome is a CDI, or a CDD of 3 months or more"),
        _("duos closed in the period"),
        Unit.PERCENT,
    ),
    FigureInfo(
        "cdi_share",
        _("CDI share"),
        _("duos closed in the period whose primary outcome is a salaried job on a CDI"),
        _("duos closed in the period whose primary outcome is a salaried job"),
        Unit.PERCENT,
    ),
    FigureInfo(
        "completion_rate",
        _("Completion rate"),
        _("duos closed in the period at the end of their planned term"),
        _("duos closed in the period"),
        Unit.PERCENT,
    ),
    FigureInfo(
        "meeting_cadence_compliance",
        _("Meeting cadence compliance"),
        _("duo-months with at least the programme's minimum of held meetings"),
        _(
            "duo-months: calendar months wholly inside the period during which the duo was active every day "
            "(partial first and last months are left out)"
        ),
        Unit.PERCENT,
    ),
    FigureInfo(
        "target_attainment",
        _("Target attainment"),
        _("duos started in the period under the funding conventions in scope"),
        _("the conventions' targets pro rata for the days of the period inside each convention (target × days / 365)"),
        Unit.PERCENT,
    ),
    FigureInfo(
        "budget_per_duo_planned",
        _("Planned budget per duo"),
        _("convention amount (EUR)"),
        _("target duos over the convention period, pro rata by days (target × days / 365) or by months (÷ 12)"),
        Unit.EUR,
    ),
    FigureInfo(
        "budget_per_duo_actual",
        _("Actual budget per duo"),
        _("convention amount (EUR)"),
        _("duos started under the convention"),
        Unit.EUR,
    ),
)
FIGURE_KEYS = tuple(info.key for info in FIGURES)
FIGURE_INFO = {info.key: info for info in FIGURES}


def _evaluate(duos, definition, period, rounding=Rounding.HALF_UP):
    values = d.total_of(d.aggregate_duo_figures(duos, [definition], period=period))
    return _figure_from(values, definition, rounding)


def _figure_from(values, definition, rounding):
    numerator = values.get(f"{definition.key}__num") or 0
    if definition.is_count:
        return count_figure(numerator)
    return rate_figure(numerator, values.get(f"{definition.key}__den") or 0, rounding)


# --- one function per figure -------------------------------------------------------------


def duos_started(duos, *, period):
    """Duos started in the period.

    Numerator: duos whose ``start_date`` is in the period. Denominator: none (a
    count; ``value`` is the count)."""
    return _evaluate(duos, d.DUOS_STARTED, period)


def duos_closed(duos, *, period):
    """Duos closed in the period.

    Numerator: closed duos whose ``end_date`` is in the period. Denominator:
    none (a count)."""
    return _evaluate(duos, d.DUOS_CLOSED, period)


def duos_active_at_end(duos, *, period):
    """Duos active on the last day of the period.

    Numerator: duos started on or before ``date_to`` and not ended on or
    before it (no end date, or an end date after ``date_to``). Denominator:
    none (a count)."""
    return _evaluate(duos, d.DUOS_ACTIVE_AT_END, period)


def employment_rate(duos, *, period, rounding=Rounding.HALF_UP):
    """Employment rate (*taux de mise à l'emploi*).

    Numerator: duos closed in the period whose primary outcome is a salaried
    job (``type="job"``, any contract). Denominator: duos closed in the period."""
    return _evaluate(duos, d.EMPLOYMENT_RATE, period, rounding)


def employment_rate_incl_self_employment(duos, *, period, rounding=Rounding.HALF_UP):
    """Employment rate including self-employment.

    Numerator: duos closed in the period whose primary outcome is a salaried
    job or self-employment. Denominator: duos closed in the period."""
    return _evaluate(duos, d.EMPLOYMENT_RATE_INCL_SELF_EMPLOYMENT, period, rounding)


def positive_outcome_rate(duos, *, period, rounding=Rounding.HALF_UP):
    """Positive outcome rate (*taux d'issues positives*).

    Numerator: duos closed in the period whose primary outcome is one of
    ``POSITIVE_OUTCOME_TYPES`` (job, self-employment, FPI, training,
    internship, studies). Denominator: duos closed in the period."""
    return _evaluate(duos, d.POSITIVE_OUTCOME_RATE, period, rounding)


def stable_job_rate(duos, *, period, rounding=Rounding.HALF_UP):
    """Stable job rate.

    Numerator: duos closed in the period whose primary outcome is a job on a
    CDI, or on a CDD of 3 months or more (``contract_months >= 3``).
    Denominator: duos closed in the period."""
    return _evaluate(duos, d.STABLE_JOB_RATE, period, rounding)


def cdi_share(duos, *, period, rounding=Rounding.HALF_UP):
    """CDI share.

    Numerator: duos closed in the period whose primary outcome is a job on a
    CDI. Denominator: duos closed in the period whose primary outcome is a
    salaried job."""
    return _evaluate(duos, d.CDI_SHARE, period, rounding)


def completion_rate(duos, *, period, rounding=Rounding.HALF_UP):
    """Completion rate.

    Numerator: duos closed in the period with closure reason ``completed``
    (they ran to the end of their planned term). Denominator: duos closed in
    the period."""
    return _evaluate(duos, d.COMPLETION_RATE, period, rounding)


def meeting_cadence_compliance(duos, *, period, rounding=Rounding.HALF_UP):
    """Meeting cadence compliance.

    A duo-month is a calendar month lying wholly inside the period during
    which the duo was active every day (started on or before the 1st, not
    ended before the last day); partial first and last months of the period
    are left out. Numerator: duo-months in which the duo held at least its
    programme's ``min_meetings_per_month`` meetings (cancelled ones do not
    count). Denominator: duo-months."""
    return _evaluate(duos, d.MEETING_CADENCE_COMPLIANCE, period, rounding)


def target_attainment(duos, *, period, conventions, rounding=Rounding.HALF_UP):
    """Target attainment.

    Numerator: duos started in the period under the funding ``conventions``.
    Denominator: the sum of the conventions' targets pro rata for the period
    (target duos a year × days of the period inside the convention / 365)."""
    parts = convention_parts(conventions)
    counts = convention_duo_counts(duos, conventions=parts.conventions, period=period)
    _under, in_period = started_under(parts.whole, counts)
    return rate_figure(in_period, target_denominator(parts.whole, period), rounding)


def budget_per_duo_planned(*, conventions, basis=BudgetBasis.DAYS):
    """Planned budget per duo, in EUR.

    Numerator: the conventions' amounts. Denominator: their target duos over
    the whole convention period, pro rata by days (target × days / 365) or,
    with ``basis="months"``, by months (target × months / 12).
    1,762,500 / (855 × 579 / 365) = 1,299.50 by days; 1,301.94 by months."""
    amount, planned = planned_budget_terms(convention_parts(conventions).whole, basis)
    return money_per_duo_figure(amount, planned)


def budget_per_duo_actual(duos, *, conventions):
    """Actual budget per duo, in EUR.

    Numerator: the conventions' amounts. Denominator: duos started under
    those conventions (at any date)."""
    parts = convention_parts(conventions)
    under, _in_period = started_under(
        parts.whole, convention_duo_counts(duos, conventions=parts.conventions, period=None)
    )
    return money_per_duo_figure(actual_budget_amount(parts.whole), under)


# --- all figures at once -----------------------------------------------------------------


@dataclass
class FigureSet:
    """Every figure for each partner row and in total, with the settings used."""

    period: object
    rounding: str
    budget_basis: str
    partners: list = field(default_factory=list)  # [(Partner, {key: Figure})]
    total: dict = field(default_factory=dict)  # {key: Figure}

    def as_dict(self):
        return {
            "period": self.period.as_dict(),
            "rounding": str(self.rounding),
            "budget_basis": self.budget_basis,
            "partners": [
                {"partner": partner.slug, **{key: figures[key].as_dict() for key in FIGURE_KEYS}}
                for partner, figures in self.partners
            ],
            "total": {key: self.total[key].as_dict() for key in FIGURE_KEYS},
        }


def _figures_from(values, *, period, rounding, parts, counts, basis):
    figures = {definition.key: _figure_from(values, definition, rounding) for definition in d.DUO_FIGURES}
    under, in_period = started_under(parts, counts)
    figures["target_attainment"] = rate_figure(in_period, target_denominator(parts, period), rounding)
    figures["budget_per_duo_planned"] = money_per_duo_figure(*planned_budget_terms(parts, basis))
    figures["budget_per_duo_actual"] = money_per_duo_figure(actual_budget_amount(parts), under)
    return figures


def figure_set(
    *,
    duos,
    period,
    partners,
    conventions,
    rounding=Rounding.HALF_UP,
    budget_basis=BudgetBasis.DAYS,
    single_partner=None,
):
    """All figures, per partner and in total, in a fixed number of queries
    whatever the number of partners and duos: one aggregate over the duos
    alive in the period grouped by partner (the total is the sum of its
    rows), one count of duos per (convention, partner), and three small
    reads of the conventions, their shares and the partners they fund.

    ``partners``: the partner rows to show (already limited to what the user
    may see). ``conventions``: the funding conventions in scope.
    ``single_partner``: the partner the report is narrowed to (a coordinator,
    or a partner filter); the total then equals that partner's row, funding
    included."""
    parts = convention_parts(conventions)
    counts = convention_duo_counts(duos, conventions=parts.conventions, period=period)
    grouped = d.aggregate_duo_figures(duos, d.DUO_FIGURES, period=period)
    total_parts = parts.for_total(single_partner.pk if single_partner is not None else None)

    result = FigureSet(period=period, rounding=rounding, budget_basis=budget_basis)
    common = {"period": period, "rounding": rounding, "counts": counts, "basis": budget_basis}
    for partner in partners:
        row = _figures_from(grouped.get(partner.pk, {}), parts=parts.by_partner.get(partner.pk, []), **common)
        result.partners.append((partner, row))
    result.total = _figures_from(d.total_of(grouped), parts=total_parts, **common)
    return result
