"""The figures of DESIGN.md, computed in the database.

``catalogue`` holds one named function per figure and ``figure_set``;
``definitions`` the database expressions behind the duo figures; ``funding``
target attainment and budgets; ``values`` the ``Figure`` value object and
rounding; ``period`` reporting periods and quarters.
"""

from .catalogue import (
    FIGURE_INFO,
    FIGURE_KEYS,
    FIGURES,
    FigureSet,
    budget_per_duo_actual,
    budget_per_duo_planned,
    cdi_share,
    completion_rate,
    duos_active_at_end,
    duos_closed,
    duos_started,
    employment_rate,
    employment_rate_incl_self_employment,
    figure_set,
    meeting_cadence_compliance,
    positive_outcome_rate,
    stable_job_rate,
    target_attainment,
)
from .funding import BudgetBasis
from .period import Period
from .values import Figure, Rounding, Unit

__all__ = [
    "FIGURES",
    "FIGURE_INFO",
    "FIGURE_KEYS",
    "BudgetBasis",
    "Figure",
    "FigureSet",
    "Period",
    "Rounding",
    "Unit",
    "budget_per_duo_actual",
    "budget_per_duo_planned",
    "cdi_share",
    "completion_rate",
    "duos_active_at_end",
    "duos_closed",
    "duos_started",
    "employment_rate",
    "employment_rate_incl_self_employment",
    "figure_set",
    "meeting_cadence_compliance",
    "positive_outcome_rate",
    "stable_job_rate",
    "target_attainment",
]
