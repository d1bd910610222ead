"""The figures of the dashboard and the reports, each registered once.

"Closed duos" are those of the view: closed in the period, or, in the cohort
view, started in the period and closed by the as-of date (``predicates``).
A version changes whenever a figure's meaning does; ``docs/figures.md`` is
written from these entries (``manage.py figures_doc``).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from duos.models import POSITIVE_OUTCOME_TYPES, ClosureReason, OutcomeType

from .predicates import active_at_end, closed_duos, contract_is, no_outcome, outcome_is, started_duos
from .registry import DUO_MONTHS, DUO_ROWS, FUNDING, MENTEE_MATCHES, FigureDefinition, register
from .values import Unit

if TYPE_CHECKING:
    from .context import FigureContext

QUALITY = ("closed_without_outcome", "closed_lost_contact")

NO_OUTCOME_APART = _(
    "Closed duos without a recorded outcome, and those whose mentee was lost contact with, stay in the "
    "denominator; they are counted beside the rate (data quality), apart from mentees still job seeking."
)
PRIMARY_ONLY = _("Each closed duo counts once, by its primary outcome; follow-up outcomes never change it.")
PRO_RATA_DAYS = _("Pro rata by days uses the days of each calendar year (366 in a leap year).")
ONLY_HOLDINGS = _(
    "Only the duos of the convention parts that carry the amount or the target count: a partner's duos under a "
    "share without an amount are in no budget per duo."
)
ROWS_ADD_UP = _(
    "Partner rows add up to the total; what belongs to no single partner (a convention shared by partners "
    "without a split) is its own row, 'Not split between partners'."
)
ONE_FUNDER = _(
    "Money is counted per funder: the total covers the funder in scope; adding funders together happens only "
    "when asked for ('All funders'), and the report says so."
)


def _closed_with(*types: str) -> Callable[[FigureContext], Q]:
    return lambda context: closed_duos(context) & outcome_is(*types)


def _closed_with_job() -> Callable[[FigureContext], Q]:
    return _closed_with(OutcomeType.JOB)


register(
    FigureDefinition(
        key="duos_started",
        label=_("Duos started"),
        unit=Unit.COUNT,
        numerator_text=_("duos whose start date is in the period"),
        denominator_text=_("none (a count)"),
        family=DUO_ROWS,
        numerator=started_duos,
        version="1",
        counts=("duos", None),
        choices=(_("A cancelled duo (entered by mistake) is in no figure."),),
    )
)
register(
    FigureDefinition(
        key="duos_closed",
        label=_("Duos closed"),
        unit=Unit.COUNT,
        numerator_text=_("closed duos"),
        denominator_text=_("none (a count)"),
        family=DUO_ROWS,
        numerator=closed_duos,
        version="1",
        counts=("duos", None),
    )
)
register(
    FigureDefinition(
        key="duos_active_at_end",
        label=_("Duos active at the end of the period"),
        unit=Unit.COUNT,
        numerator_text=_(
            "duos started on or before the last day of the period (for a cohort: started in the period) and not "
            "closed by that day (for a cohort: by the as-of date)"
        ),
        denominator_text=_("none (a count)"),
        family=DUO_ROWS,
        numerator=active_at_end,
        version="1",
        counts=("duos", None),
        choices=(
            _(
                "A duo is active on a day when it started on or before it and had not closed by then: a closed "
                "duo's end date is the day it stops. The cadence figure uses the same meaning of active."
            ),
        ),
    )
)
register(
    FigureDefinition(
        key="employment_rate",
        label=_("Employment rate"),
        unit=Unit.PERCENT,
        numerator_text=_("closed duos whose primary outcome is a salaried job"),
        denominator_text=_("closed duos"),
        family=DUO_ROWS,
        numerator=_closed_with_job(),
        denominator=closed_duos,
        version="1",
        quality=QUALITY,
        choices=(PRIMARY_ONLY, NO_OUTCOME_APART),
    )
)
register(
    FigureDefinition(
        key="employment_rate_incl_self_employment",
        label=_("Employment rate incl. self-employment"),
        unit=Unit.PERCENT,
        numerator_text=_("closed duos whose primary outcome is a salaried job or self-employment"),
        denominator_text=_("closed duos"),
        family=DUO_ROWS,
        numerator=_closed_with(OutcomeType.JOB, OutcomeType.SELF_EMPLOYMENT),
        denominator=closed_duos,
        version="1",
        quality=QUALITY,
        choices=(PRIMARY_ONLY, NO_OUTCOME_APART),
    )
)
register(
    FigureDefinition(
        key="positive_outcome_rate",
        label=_("Positive outcome rate"),
        unit=Unit.PERCENT,
        numerator_text=_(
            "closed duos whose primary outcome is a job, self-employment, in-company training (FPI), a training, "
            "an internship or studies"
        ),
        denominator_text=_("closed duos"),
        family=DUO_ROWS,
        numerator=_closed_with(*POSITIVE_OUTCOME_TYPES),
        denominator=closed_duos,
        version="1",
        quality=QUALITY,
        choices=(PRIMARY_ONLY, NO_OUTCOME_APART),
    )
)
register(
    FigureDefinition(
        key="stable_job_rate",
        label=_("Stable job rate"),
        unit=Unit.PERCENT,
        numerator_text=_("closed duos whose primary outcome is a CDI, or a CDD of 3 months or more"),
        denominator_text=_("closed duos"),
        family=DUO_ROWS,
        numerator=lambda context: (
            closed_duos(context)
            & outcome_is(OutcomeType.JOB)
            & (contract_is("cdi") | (contract_is("cdd") & Q(primary_outcome__contract_months__gte=3)))
        ),
        denominator=closed_duos,
        version="1",
        quality=QUALITY,
        choices=(PRIMARY_ONLY, NO_OUTCOME_APART),
    )
)
register(
    FigureDefinition(
        key="cdi_share",
        label=_("CDI share"),
        unit=Unit.PERCENT,
        numerator_text=_("closed duos whose primary outcome is a salaried job on a CDI"),
        denominator_text=_("closed duos whose primary outcome is a salaried job"),
        family=DUO_ROWS,
        numerator=lambda context: closed_duos(context) & outcome_is(OutcomeType.JOB) & contract_is("cdi"),
        denominator=_closed_with_job(),
        version="1",
        choices=(PRIMARY_ONLY,),
    )
)
register(
    FigureDefinition(
        key="completion_rate",
        label=_("Completion rate"),
        unit=Unit.PERCENT,
        numerator_text=_("closed duos whose closure reason is 'completed the planned term'"),
        denominator_text=_("closed duos"),
        family=DUO_ROWS,
        numerator=lambda context: closed_duos(context) & Q(closure_reason=ClosureReason.COMPLETED),
        denominator=closed_duos,
        version="1",
        choices=(
            _(
                "Completion follows the closure reason recorded when the duo closed (the closing form keeps the "
                "reason consistent with the dates), not a comparison of dates."
            ),
        ),
    )
)
register(
    FigureDefinition(
        key="meeting_cadence_compliance",
        label=_("Meeting cadence compliance"),
        unit=Unit.PERCENT,
        numerator_text=_("duo-months in which the duo held at least its programme's minimum of meetings"),
        denominator_text=_(
            "duo-months: calendar months wholly inside the period (for a cohort: from the period's start to the "
            "as-of date) and already ended, during which the duo was active every day"
        ),
        family=DUO_MONTHS,
        version="2",
        counts=("duo-months", "duo-months"),
        choices=(
            _(
                "Only months that have ended count: the current month is not a missed month. Partial first and "
                "last months of the period are left out; cancelled meetings do not count."
            ),
            _(
                "Active means the same as in 'duos active at the end of the period': a duo closed on a month's "
                "last day was not active that whole month."
            ),
        ),
    )
)
register(
    FigureDefinition(
        key="target_attainment",
        label=_("Target attainment"),
        unit=Unit.PERCENT,
        numerator_text=_("duos started in the period under the convention parts that carry a target"),
        denominator_text=_("those parts' targets pro rata for the days of the period inside each convention"),
        family=FUNDING,
        numerator="started_in_period",
        denominator="target",
        version="2",
        counts=("duos", "target"),
        group="money",
        choices=(ONLY_HOLDINGS, PRO_RATA_DAYS, ROWS_ADD_UP, ONE_FUNDER),
    )
)
register(
    FigureDefinition(
        key="budget_per_duo_planned",
        label=_("Planned budget per duo"),
        unit=Unit.EUR,
        numerator_text=_("the convention amounts, in EUR"),
        denominator_text=_(
            "their targets over each convention's whole period, pro rata by days (or, as a report option, by "
            "calendar months, a partial month counting as its share of that month's days)"
        ),
        family=FUNDING,
        numerator="planned_amount",
        denominator="planned_duos",
        version="2",
        counts=("eur", "target"),
        group="money",
        choices=(PRO_RATA_DAYS, ONE_FUNDER),
    )
)
register(
    FigureDefinition(
        key="budget_per_duo_actual",
        label=_("Actual budget per duo"),
        unit=Unit.EUR,
        numerator_text=_("the amounts of the convention parts in scope, in EUR"),
        denominator_text=_(
            "duos started under those convention parts from the start of each convention up to the last day of "
            "the period"
        ),
        family=FUNDING,
        numerator="amount",
        denominator="duos_to_end",
        version="2",
        counts=("eur", "duos"),
        group="money",
        choices=(
            _(
                "The duos divided by are those started under the convention up to the end of the period, on the "
                "dashboard and in the reports alike; before a convention ends, later duos will lower the figure."
            ),
            ONLY_HOLDINGS,
            ROWS_ADD_UP,
            ONE_FUNDER,
        ),
    )
)
# The figures after the duo (follow-ups) come here, before the data-quality counts.
from . import after_closure  # noqa: E402, F401, I001

register(
    FigureDefinition(
        key="closed_without_outcome",
        label=_("Closed without a recorded outcome"),
        unit=Unit.COUNT,
        numerator_text=_("closed duos with no primary outcome recorded"),
        denominator_text=_("none (a count)"),
        family=DUO_ROWS,
        numerator=lambda context: closed_duos(context) & no_outcome(),
        version="1",
        counts=("duos", None),
        group="quality",
        choices=(NO_OUTCOME_APART,),
    )
)
register(
    FigureDefinition(
        key="closed_lost_contact",
        label=_("Closed, lost contact"),
        unit=Unit.COUNT,
        numerator_text=_("closed duos whose primary outcome is 'lost contact'"),
        denominator_text=_("none (a count)"),
        family=DUO_ROWS,
        numerator=_closed_with(OutcomeType.UNKNOWN),
        version="1",
        counts=("duos", None),
        group="quality",
        choices=(NO_OUTCOME_APART,),
    )
)
register(
    FigureDefinition(
        key="time_to_match",
        label=_("Time to match"),
        unit=Unit.DAYS,
        numerator_text=_(
            "median number of days from a mentee's registration date to the start of their first duo "
            "(a registration recorded after that start counts 0 days)"
        ),
        denominator_text=_("mentees matched in the period: those whose first duo started in it (one duo each)"),
        family=MENTEE_MATCHES,
        version="1",
        counts=("days", "duos"),
        group="matching",
        choices=(
            _("Only a mentee's first duo is a match: a mentee paired again after a duo ended is not counted again."),
            _("A cancelled duo (entered by mistake) is no match; the duo after it can be the first."),
            _("The view (closed or cohort) does not change it: a match counts in the period its duo starts in."),
            _(
                "With an even number of mentees the median is the mean of the two middle values; the database "
                "finds them (window functions), not a loop over the mentees."
            ),
        ),
    )
)
