"""The figures (docs/figures.md), each defined once and computed in the database.

* ``registry``: ``REGISTRY`` (key → ``FigureDefinition``), the one home of
  every figure; ``definitions`` registers the built-in ones, and
  ``after_closure`` the figures after the duo (follow-ups) with their family;
* ``families``: the code that computes a batch of figures of one kind
  (duo counts and rates, meeting cadence, money) and narrows the duo list
  to a figure's numerator or denominator;
* ``evaluate``: ``figure_set`` (every figure per partner and in total) and
  ``total_figure`` (one figure over some duos);
* ``context`` (period, view, as-of date), ``period``, ``predicates`` (which
  duos count), ``cadence``, ``funding``, ``values`` (``Figure``, rounding),
  ``breakdowns`` (outcomes by type, quarterly trend), ``matching`` (the
  time to match: its family, a median computed by the database), ``docs`` (the
  newcomer's page ``docs/figures.md``, written from the registry).
"""

from . import definitions as _definitions  # noqa: F401  (registers the built-in figures)
from . import matching as _matching  # noqa: F401  (registers the family of the time to match)
from .context import FigureContext, FigureView
from .evaluate import FigureSet, FigureSources, evaluate, figure_set, funding_figure, total_figure
from .families import TOTAL
from .funding import ALL_FUNDERS, NOT_SPLIT, BudgetBasis
from .period import Period
from .registry import REGISTRY, FigureDefinition, figure_keys, get, register, versions
from .values import Figure, Rounding, Unit

__all__ = [
    "ALL_FUNDERS",
    "NOT_SPLIT",
    "REGISTRY",
    "TOTAL",
    "BudgetBasis",
    "Figure",
    "FigureContext",
    "FigureDefinition",
    "FigureSet",
    "FigureSources",
    "FigureView",
    "Period",
    "Rounding",
    "Unit",
    "evaluate",
    "figure_set",
    "funding_figure",
    "get",
    "figure_keys",
    "register",
    "total_figure",
    "versions",
]
