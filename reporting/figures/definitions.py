"""How a figure over duos is counted, as database expressions.

A ``DuoFigureDefinition`` gives, for a period, the condition (or aggregate
expression) of its numerator and of its denominator over rows of ``Duo``.
``aggregate_duo_figures`` puts any number of definitions in ONE query grouped
by partner (the total is the sum of its rows), whatever the
number of partners and duos.

The multiplied-rows trap (DESIGN.md): a duo has many meetings and many
outcomes; joining both and counting multiplies rows. Here:

* the primary outcome is joined through a ``FilteredRelation`` on
  ``is_primary=True``; the ``one_primary_outcome_per_duo`` unique constraint
  makes that join single-valued (at most one row per duo);
* meetings are never joined: each month of the cadence figure counts held
  meetings in its own correlated ``Subquery``, evaluated only for the duos
  active that whole month (inside a ``CASE``).

Only the duos alive in the period (started on or before its end, not ended
before its start) can count in any of these figures, so the query reads
those rows only.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from django.db.models import Case, Count, F, FilteredRelation, IntegerField, Q, When

from duos.models import POSITIVE_OUTCOME_TYPES, DuoStatus
from duos.selectors import active_throughout, held_meetings_between

PRIMARY = "primary_outcome"


def with_primary_outcome(duos):
    """``duos`` with the primary outcome reachable as ``primary_outcome__...``
    (a LEFT JOIN restricted to ``is_primary``: at most one row per duo)."""
    return duos.alias(**{PRIMARY: FilteredRelation("outcomes", condition=Q(outcomes__is_primary=True))})


def started_in(period):
    return Q(start_date__gte=period.date_from, start_date__lte=period.date_to)


def closed_in(period):
    return Q(status=DuoStatus.CLOSED, end_date__gte=period.date_from, end_date__lte=period.date_to)


def active_at(day):
    """Started on or before ``day`` and not ended on or before it."""
    return Q(start_date__lte=day) & (Q(end_date__isnull=True) | Q(end_date__gt=day))


def alive_in(period):
    """Started on or before the end of ``period`` and not ended before its start."""
    return Q(start_date__lte=period.date_to) & (Q(end_date__isnull=True) | Q(end_date__gte=period.date_from))


# A duo-month: active on every day of the month (same definition as the workspace).
active_all_month = active_throughout


def held_meetings_alias(index):
    return f"held_meetings_month_{index}"


def held_meetings_in(first, last):
    """Held meetings of the outer duo between ``first`` and ``last``: one
    correlated subquery, so meetings never multiply the duo rows. ``NULL``
    (and not counted) for a duo not active that whole month: the database
    then skips the subquery."""
    return Case(
        When(active_all_month(first, last), then=held_meetings_between(first, last)),
        default=None,
        output_field=IntegerField(),
    )


@dataclass(frozen=True)
class DuoFigureDefinition:
    """A figure over duos. ``numerator``/``denominator`` take the period and
    return a ``Q`` on duo rows (counted with ``Count("pk", filter=...)``);
    ``expressions`` may instead return ready aggregate expressions and
    ``aliases`` the per-row expressions they need. ``denominator`` ``None``
    makes the figure a count."""

    key: str
    numerator: Callable | None = None
    denominator: Callable | None = None
    expressions: Callable | None = None
    aliases: Callable = field(default=lambda period: {})

    @property
    def is_count(self):
        return self.denominator is None and self.expressions is None

    def aggregates(self, period):
        """``{alias: aggregate expression}`` for this figure."""
        if self.expressions is not None:
            numerator, denominator = self.expressions(period)
        else:
            numerator = Count("pk", filter=self.numerator(period))
            denominator = Count("pk", filter=self.denominator(period)) if self.denominator else None
        result = {f"{self.key}__num": numerator, f"{self.key}__den": denominator}
        # A missing expression reads as 0 (``aggregate()`` takes aggregates only).
        return {alias: expression for alias, expression in result.items() if expression is not None}


def cadence_aliases(period):
    return {
        held_meetings_alias(index): held_meetings_in(first, last)
        for index, (first, last) in enumerate(period.full_months())
    }


def cadence_expressions(period):
    """Sum over the period's whole months of (duos active all month that held
    the programme's minimum) and of (duos active all month)."""
    months = period.full_months()
    if not months:
        return None, None  # no whole month: no denominator
    numerator = denominator = None
    for index, (first, last) in enumerate(months):
        active = active_all_month(first, last)
        reached = active & Q(**{f"{held_meetings_alias(index)}__gte": F("programme__min_meetings_per_month")})
        num, den = Count("pk", filter=reached), Count("pk", filter=active)
        numerator = num if numerator is None else numerator + num
        denominator = den if denominator is None else denominator + den
    return numerator, denominator


def _job():
    return Q(**{f"{PRIMARY}__type": "job"})


def _contract(contract):
    return Q(**{f"{PRIMARY}__contract_type": contract})


DUOS_STARTED = DuoFigureDefinition("duos_started", numerator=started_in)
DUOS_CLOSED = DuoFigureDefinition("duos_closed", numerator=closed_in)
DUOS_ACTIVE_AT_END = DuoFigureDefinition("duos_active_at_end", numerator=lambda p: active_at(p.date_to))
EMPLOYMENT_RATE = DuoFigureDefinition(
    "employment_rate", numerator=lambda p: closed_in(p) & _job(), denominator=closed_in
)
EMPLOYMENT_RATE_INCL_SELF_EMPLOYMENT = DuoFigureDefinition(
    "employment_rate_incl_self_employment",
    numerator=lambda p: closed_in(p) & Q(**{f"{PRIMARY}__type__in": ["job", "self_employment"]}),
    denominator=closed_in,
)
POSITIVE_OUTCOME_RATE = DuoFigureDefinition(
    "positive_outcome_rate",
    numerator=lambda p: closed_in(p) & Q(**{f"{PRIMARY}__type__in": [str(value) for value in POSITIVE_OUTCOME_TYPES]}),
    denominator=closed_in,
)
STABLE_JOB_RATE = DuoFigureDefinition(
    "stable_job_rate",
    numerator=lambda p: (
        closed_in(p) & _job() & (_contract("cdi") | (_contract("cdd") & Q(**{f"{PRIMARY}__contract_months__gte": 3})))
    ),
    denominator=closed_in,
)
CDI_SHARE = DuoFigureDefinition(
    "cdi_share",
    numerator=lambda p: closed_in(p) & _job() & _contract("cdi"),
    denominator=lambda p: closed_in(p) & _job(),
)
COMPLETION_RATE = DuoFigureDefinition(
    "completion_rate", numerator=lambda p: closed_in(p) & Q(closure_reason="completed"), denominator=closed_in
)
MEETING_CADENCE_COMPLIANCE = DuoFigureDefinition(
    "meeting_cadence_compliance", expressions=cadence_expressions, aliases=cadence_aliases
)


DUO_FIGURES = (
    DUOS_STARTED,
    DUOS_CLOSED,
    DUOS_ACTIVE_AT_END,
    EMPLOYMENT_RATE,
    EMPLOYMENT_RATE_INCL_SELF_EMPLOYMENT,
    POSITIVE_OUTCOME_RATE,
    STABLE_JOB_RATE,
    CDI_SHARE,
    COMPLETION_RATE,
    MEETING_CADENCE_COMPLIANCE,
)


def aggregate_duo_figures(duos, definitions, *, period):
    """Evaluate ``definitions`` over the duos alive in ``period``, in ONE query
    grouped by partner: ``{partner_id: {alias: int}}``. Partners partition the
    duos, so a total is the sum of the partner rows (``total_of``)."""
    aggregates, aliases = {}, {}
    for definition in definitions:
        aggregates.update(definition.aggregates(period))
        aliases.update(definition.aliases(period))
    if not aggregates:
        return {}
    rows = (
        with_primary_outcome(duos.filter(alive_in(period)))
        .alias(**aliases)
        .order_by()
        .values("partner_id")
        .annotate(**aggregates)
    )
    return {row.pop("partner_id"): row for row in rows}


def total_of(grouped):
    """The total of ``aggregate_duo_figures`` rows: counts add up across partners."""
    total = {}
    for row in grouped.values():
        for alias, count in row.items():
            total[alias] = total.get(alias, 0) + (count or 0)
    return total
