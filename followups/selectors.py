"""Reads of follow-ups that the duo page, the follow-up list, the home page,
the digests and the figures share.

A *follow-up slot* is one (closed duo, offset of its programme) pair: the
follow-up at ``offset_months`` falls due ``offset_months`` after the duo's
closure date (``followups.dates.add_months``). Slots are derived by a query,
never stored: a corrected closure date, a reopened or a cancelled duo (not
closed any more) change them by themselves. A slot is

* **upcoming** before its due date,
* **due** from its due date for ``FOLLOW_UP_WINDOW_DAYS`` (the coordinator's
  to-do list: the home page, the digest, the "follow-ups due" list),
* **missed** after that window, when nothing was recorded (it can still be
  recorded late; the completion figure counts it as not recorded),
* **recorded** once a ``FollowUp`` exists for it, whatever the dates.

Every function takes a ``Duo`` queryset the caller has already narrowed to
what the user may see (``Duo.objects.visible_to(user)``).
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import models
from django.db.models import F, OuterRef, Q, QuerySet, Subquery
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from duos.models import DuoStatus

from .dates import AddMonths, add_months, closure_range
from .models import FollowUp, FollowUpOffset

if TYPE_CHECKING:
    from duos.models import Duo


class SlotState(models.TextChoices):
    UPCOMING = "upcoming", _("Not due yet")
    DUE = "due", _("Due")
    MISSED = "missed", _("Not recorded in time")
    RECORDED = "recorded", _("Recorded")


def follow_up_window() -> datetime.timedelta:
    """How long a due follow-up stays on the to-do list (``FOLLOW_UP_WINDOW_DAYS``)."""
    return datetime.timedelta(days=settings.FOLLOW_UP_WINDOW_DAYS)


def offsets_in_use() -> list[int]:
    """Every offset (months) some programme asks for, ascending: one small query."""
    return sorted(set(FollowUpOffset.objects.order_by().values_list("months", flat=True).distinct()))


def due_between(date_from: datetime.date, date_to: datetime.date, months_values: Iterable[int]) -> Q:
    """``Q`` on slot rows (``follow_up_slots``) due from ``date_from`` to
    ``date_to`` (both included), written as ranges of closure dates per offset
    (``closure_range``) so that the database can use the index on the
    closure date. ``months_values``: the offsets to consider
    (``offsets_in_use()``)."""
    condition = Q(pk__in=[])
    for months in months_values:
        closed = closure_range(date_from, date_to, months)
        if closed is not None:
            condition |= Q(offset_months=months, end_date__range=closed)
    return condition


def follow_up_slots(duos: QuerySet) -> QuerySet:
    """One row per follow-up slot of the closed duos in ``duos``: ``Duo``
    instances (a duo once per offset of its programme) annotated with
    ``offset_months``, ``due_date`` and ``follow_up_id`` (the recorded
    ``FollowUp``, or ``None``). The offsets are joined (one row each); the
    recorded follow-up is a subquery, so nothing else multiplies the rows."""
    recorded = FollowUp.objects.filter(duo=OuterRef("pk"), offset_months=OuterRef("offset_months")).values("pk")[:1]
    return (
        duos.filter(status=DuoStatus.CLOSED)
        .annotate(offset_months=F("programme__follow_up_offsets__months"))
        .filter(offset_months__isnull=False)
        .annotate(due_date=AddMonths(F("end_date"), F("offset_months")), follow_up_id=Subquery(recorded))
    )


def slot_state_filter(state: str, *, today: datetime.date) -> Q:
    """``Q`` on ``follow_up_slots`` rows in ``state`` (a ``SlotState``) on ``today``."""
    window_start = today - follow_up_window()
    if state == SlotState.RECORDED:
        return Q(follow_up_id__isnull=False)
    pending = Q(follow_up_id__isnull=True)
    if state == SlotState.UPCOMING:
        return pending & Q(due_date__gt=today)
    if state == SlotState.DUE:
        return pending & Q(due_date__lte=today, due_date__gte=window_start)
    if state == SlotState.MISSED:
        return pending & Q(due_date__lt=window_start)
    raise ValueError(state)


def slot_state(due_date: datetime.date, follow_up_id: int | None, *, today: datetime.date) -> str:
    """The ``SlotState`` of one slot (Python twin of ``slot_state_filter``)."""
    if follow_up_id is not None:
        return SlotState.RECORDED
    if due_date > today:
        return SlotState.UPCOMING
    if due_date >= today - follow_up_window():
        return SlotState.DUE
    return SlotState.MISSED


def follow_ups_due(
    duos: QuerySet, *, today: datetime.date | None = None, offsets: Iterable[int] | None = None
) -> QuerySet:
    """The follow-ups due on ``today`` and not recorded (the to-do list), as
    slot rows, the oldest due date first. The closure-date ranges narrow the
    rows before the due date is computed; ``offsets`` defaults to
    ``offsets_in_use()`` (one query)."""
    today = today or timezone.localdate()
    offsets = offsets_in_use() if offsets is None else offsets
    return (
        follow_up_slots(duos)
        .filter(due_between(today - follow_up_window(), today, offsets))
        .filter(slot_state_filter(SlotState.DUE, today=today))
        .order_by("due_date", "pk", "offset_months")
    )


def duo_follow_ups(duo: Duo, *, today: datetime.date | None = None) -> list[dict[str, Any]]:
    """The follow-ups of one duo for its page: a list of dicts ``{"months",
    "due_date", "state", "follow_up"}`` by offset (empty unless the duo is
    closed). Two queries: the programme's offsets, the recorded follow-ups."""
    if duo.status != DuoStatus.CLOSED or duo.end_date is None:
        return []
    today = today or timezone.localdate()
    recorded = {follow_up.offset_months: follow_up for follow_up in FollowUp.objects.filter(duo=duo)}
    months = sorted(
        set(FollowUpOffset.objects.filter(programme_id=duo.programme_id).values_list("months", flat=True))
        | set(recorded)  # a follow-up recorded before the programme dropped its offset stays shown
    )
    rows = []
    for offset in months:
        due_date = add_months(duo.end_date, offset)
        follow_up = recorded.get(offset)
        rows.append(
            {
                "months": offset,
                "due_date": due_date,
                "state": slot_state(due_date, follow_up.pk if follow_up else None, today=today),
                "follow_up": follow_up,
            }
        )
    return rows
