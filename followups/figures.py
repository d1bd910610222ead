"""The figures after closure (docs/figures.md), as database
expressions over rows of ``Duo``, so that they group by partner in one query
like the other duo figures. Only closed duos count (a cancelled duo is in no
figure; an open one has no follow-up).

A period counts the follow-ups that *fall due* in it (the closure date plus
the offset, ``followups.dates``): the follow-ups at 6 months of a quarter are
those of the duos closed six months before it. So the three figures of one
period speak of the same follow-ups, and each follow-up counts in exactly one
period.

* **Job retention at 6 / 12 months**: follow-ups at that offset, due in the
  period, showing a salaried job or self-employment / those with a known
  situation (anything but "lost contact"). Beside it, the *unknowns*: due
  follow-ups at that offset (the programme asks for it) recorded as "lost
  contact" or not recorded at all.
* **Employed within 12 months**: duos whose 12 months after closure end in
  the period (so closed at least 12 months before the report date) whose
  closure outcome or a follow-up at 12 months or less shows a salaried job or
  self-employment / those duos.
* **Follow-up completion**: follow-ups due in the period (each offset the
  duo's programme asks for) that are recorded, whatever the situation / the
  follow-ups due in the period.
"""

from django.db.models import Count, Exists, OuterRef, Q

from duos.models import DuoStatus, Outcome, OutcomeType

from .dates import closure_range
from .models import EMPLOYED_SITUATIONS, UNKNOWN_SITUATION, FollowUp, FollowUpOffset

RETENTION_MONTHS = (6, 12)
WITHIN_MONTHS = 12
EMPLOYED = [str(value) for value in EMPLOYED_SITUATIONS]


def due_in(period, months):
    """``Q``: closed duos whose follow-up at ``months`` falls due in ``period``."""
    closed = closure_range(period.date_from, period.date_to, months)
    if closed is None:
        return Q(pk__in=[])
    return Q(status=DuoStatus.CLOSED, end_date__range=closed)


def offers(months):
    """The duo's programme asks for a follow-up at ``months``."""
    return Exists(FollowUpOffset.objects.filter(programme=OuterRef("programme"), months=months))


def recorded(months, **filters):
    """A follow-up at ``months`` is recorded for the duo (narrowed by ``filters``)."""
    return Exists(FollowUp.objects.filter(duo=OuterRef("pk"), offset_months=months, **filters))


def retention_aggregates(period, months):
    """``{"numerator", "denominator", "unknown"}`` aggregates of job retention at ``months``."""
    due = due_in(period, months)
    known = recorded(months, situation__in=[value for value in OutcomeType.values if value != UNKNOWN_SITUATION])
    return {
        "numerator": Count("pk", filter=due & Q(recorded(months, situation__in=EMPLOYED))),
        "denominator": Count("pk", filter=due & Q(known)),
        "unknown": Count("pk", filter=due & Q(offers(months)) & ~Q(known)),
    }


def employed_within_aggregates(period, months=WITHIN_MONTHS):
    """``{"numerator", "denominator"}`` of "employed within 12 months"."""
    due = due_in(period, months)
    # Subqueries, not joins: nothing multiplies the duo rows the other counts read.
    employed_at_closure = Exists(Outcome.objects.filter(duo=OuterRef("pk"), is_primary=True, type__in=EMPLOYED))
    employed_later = Exists(
        FollowUp.objects.filter(duo=OuterRef("pk"), offset_months__lte=months, situation__in=EMPLOYED)
    )
    return {
        "numerator": Count("pk", filter=due & (Q(employed_at_closure) | Q(employed_later))),
        "denominator": Count("pk", filter=due),
    }


def completion_aggregates(period, offsets):
    """``{"numerator", "denominator"}`` of follow-up completion: one count per
    offset in use (``offsets``), added up."""
    numerator = denominator = None
    for months in offsets:
        due = due_in(period, months) & Q(offers(months))
        due_count = Count("pk", filter=due)
        recorded_count = Count("pk", filter=due & Q(recorded(months)))
        numerator = recorded_count if numerator is None else numerator + recorded_count
        denominator = due_count if denominator is None else denominator + due_count
    return {"numerator": numerator, "denominator": denominator}


def follow_up_counts(duos, *, period, offsets):
    """Every count of the follow-up figures over ``duos`` for ``period``, in ONE
    query grouped by partner: ``{partner_id: {"retention_6__numerator": n,
    ...}}``. ``offsets``: the offsets in use (``followups.selectors.offsets_in_use``).
    Only the duos whose follow-ups can fall due in the period are read."""
    aggregates = {}
    for months in RETENTION_MONTHS:
        for part, expression in retention_aggregates(period, months).items():
            aggregates[f"retention_{months}__{part}"] = expression
    for part, expression in employed_within_aggregates(period).items():
        aggregates[f"employed_within_12__{part}"] = expression
    for part, expression in completion_aggregates(period, offsets).items():
        if expression is not None:
            aggregates[f"follow_up_completion__{part}"] = expression
    reachable = Q(pk__in=[])
    for months in {*offsets, *RETENTION_MONTHS, WITHIN_MONTHS}:
        reachable |= due_in(period, months)
    rows = duos.filter(reachable).order_by().values("partner_id").annotate(**aggregates)
    return {row.pop("partner_id"): row for row in rows}
