"""The figures after the duo (docs/figures.md): job retention at 6
and at 12 months, employed within 12 months and follow-up completion, with
their ``FOLLOW_UPS`` family. The counting is ``followups.figures``; this
module says which follow-ups a view counts and registers the figures.

Which follow-ups count:

* **closed in the period** (the default view): those that *fall due* in the
  period (the closure date plus the offset): the 6-month follow-ups of a
  quarter are those of the duos closed six months before it, and each
  follow-up counts in exactly one period;
* **cohort**: those of the duos started in the period that fell due by the
  as-of date.

The duos these figures read closed months before the period, so they are
not in the shared grouped query over the duos alive in the period
(``predicates.rows_of``): the family runs its own query (plus one for the
offsets the programmes ask for), grouped by partner.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from followups import figures as follow_up_figures
from followups.selectors import offsets_in_use

from . import predicates as p
from .families import TOTAL, DrillDown, Family, _total, register_family
from .funding import BudgetBasis
from .registry import NUMERATOR, FigureDefinition, register
from .values import Unit

if TYPE_CHECKING:
    from followups.figures import Due

    from .context import FigureContext
    from .evaluate import FigureSources

FOLLOW_UPS = "follow_ups"
GROUP = "follow_ups"
FOLLOW_UP_KEYS = ("retention_6", "retention_12", "employed_within_12", "follow_up_completion")


def due(context: FigureContext) -> Due:
    """``due(months)``: the ``Q`` on duos whose follow-up at ``months`` counts in ``context``."""
    period = context.period
    if context.is_cohort:
        return lambda months: p.started_in(period) & follow_up_figures.due_by(context.cohort_as_of, months)
    return lambda months: follow_up_figures.due_in(period, months)


def offsets(sources: FigureSources) -> list[int]:
    """The offsets some programme asks for (one query, kept for the figure set)."""
    if "follow_up_offsets" not in sources.cache:
        sources.cache["follow_up_offsets"] = offsets_in_use()
    return sources.cache["follow_up_offsets"]


class FollowUpsFamily(Family):
    """Figures over follow-ups (``followups.figures``): a definition's
    ``numerator`` and ``denominator`` name a count of ``follow_up_counts``
    (``"retention_6__numerator"``...). Two queries: the offsets in use and one
    aggregate grouped by partner."""

    key = FOLLOW_UPS

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
        counts = follow_up_figures.follow_up_counts(p.counted(sources.duos), offsets=offsets(sources), due=due(context))
        grouped = {
            partner_id: {
                d.key: (row[d.numerator], row[d.denominator] if d.denominator is not None else None)
                for d in definitions
            }
            for partner_id, row in counts.items()
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
        alias = definition.numerator if part == NUMERATOR else definition.denominator
        if alias.startswith(follow_up_figures.COMPLETION):
            # Follow-ups, not duos: each row shows the duo's follow-ups, their sum is the figure's.
            per_duo = follow_up_figures.completion_per_duo(due(context), offsets(sources))[alias.split("__")[1]]

            def apply(duos: QuerySet) -> QuerySet:
                return p.counted(duos).annotate(figure_per_duo=per_duo).filter(figure_per_duo__gt=0)

            return DrillDown(apply=apply, per_duo="figure_per_duo", unit="follow-ups")
        condition = follow_up_figures.duo_conditions(due(context))[alias]
        return DrillDown(apply=lambda duos: p.counted(duos).filter(condition))


register_family(FollowUpsFamily())

BY_DUE_DATE = _(
    "A follow-up counts in the period it falls due in (the closure date plus its offset, the same day of the "
    "month or the month's last day); for a cohort, the follow-ups of the duos started in the period that fell "
    "due by the as-of date."
)
UNKNOWN_APART = _(
    "Follow-ups recorded as 'lost contact', and those the programme asks for but nobody recorded, are not in the "
    "denominator: they are counted beside the rate."
)
OWN_ROW = _("Follow-ups never change the closure outcome, which the closure figures count.")


# Written out per offset (not "%(months)s"): a lazy text formatted at import
# would be frozen in the language of the import.
RETENTION_TEXTS = {
    6: {
        "label": _("Job retention at 6 months"),
        "numerator": _("follow-ups at 6 months due in the period that show a salaried job or self-employment"),
        "denominator": _(
            "follow-ups at 6 months due in the period with a known situation (anything but 'lost contact')"
        ),
        "unknown_label": _("Unknown situation at 6 months"),
        "unknown": _(
            "follow-ups at 6 months due in the period that the programme asks for, recorded as 'lost contact' or "
            "not recorded"
        ),
    },
    12: {
        "label": _("Job retention at 12 months"),
        "numerator": _("follow-ups at 12 months due in the period that show a salaried job or self-employment"),
        "denominator": _(
            "follow-ups at 12 months due in the period with a known situation (anything but 'lost contact')"
        ),
        "unknown_label": _("Unknown situation at 12 months"),
        "unknown": _(
            "follow-ups at 12 months due in the period that the programme asks for, recorded as 'lost contact' or "
            "not recorded"
        ),
    },
}


def _retention(months: int) -> None:
    texts = RETENTION_TEXTS[months]
    register(
        FigureDefinition(
            key=f"retention_{months}",
            label=texts["label"],
            unit=Unit.PERCENT,
            numerator_text=texts["numerator"],
            denominator_text=texts["denominator"],
            family=FOLLOW_UPS,
            numerator=f"retention_{months}__numerator",
            denominator=f"retention_{months}__denominator",
            version="1",
            quality=(f"retention_{months}_unknown",),
            group=GROUP,
            choices=(BY_DUE_DATE, UNKNOWN_APART, OWN_ROW),
        )
    )


def _unknown(months: int) -> None:
    texts = RETENTION_TEXTS[months]
    register(
        FigureDefinition(
            key=f"retention_{months}_unknown",
            label=texts["unknown_label"],
            unit=Unit.COUNT,
            numerator_text=texts["unknown"],
            denominator_text=_("none (a count)"),
            family=FOLLOW_UPS,
            numerator=f"retention_{months}__unknown",
            version="1",
            counts=("duos", None),
            group="quality",
            choices=(BY_DUE_DATE, UNKNOWN_APART),
        )
    )


for _months in follow_up_figures.RETENTION_MONTHS:
    _retention(_months)
register(
    FigureDefinition(
        key="employed_within_12",
        label=_("Employed within 12 months"),
        unit=Unit.PERCENT,
        numerator_text=_(
            "closed duos whose 12 months after closure end in the period (so closed at least 12 months before the "
            "end of the period) and whose primary outcome, or a follow-up at 12 months or less, shows a salaried "
            "job or self-employment"
        ),
        denominator_text=_("closed duos whose 12 months after closure end in the period"),
        family=FOLLOW_UPS,
        numerator="employed_within_12__numerator",
        denominator="employed_within_12__denominator",
        version="1",
        group=GROUP,
        choices=(
            BY_DUE_DATE,
            _("A duo without a recorded follow-up counts by its closure outcome alone, and stays in the denominator."),
        ),
    )
)
register(
    FigureDefinition(
        key="follow_up_completion",
        label=_("Follow-up completion"),
        unit=Unit.PERCENT,
        numerator_text=_("follow-ups due in the period that are recorded, whatever the situation"),
        denominator_text=_(
            "follow-ups due in the period: for each closed duo, each offset its programme asks for (3, 6 and 12 "
            "months unless the programme says otherwise)"
        ),
        family=FOLLOW_UPS,
        numerator=f"{follow_up_figures.COMPLETION}__numerator",
        denominator=f"{follow_up_figures.COMPLETION}__denominator",
        version="1",
        counts=("follow-ups", "follow-ups"),
        group=GROUP,
        choices=(
            BY_DUE_DATE,
            _("One duo can have several follow-ups due in one period: the duo list shows each duo's follow-ups."),
        ),
    )
)
for _months in follow_up_figures.RETENTION_MONTHS:
    _unknown(_months)
