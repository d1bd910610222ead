"""The lists that remind a coordinator of what needs doing, shared by the
home page, the e-mail digests and ``send_reminders``, so that all three list
the same duos:

* **behind cadence**: active duos below their programme's minimum meetings in
  the last complete month (``duos.selectors.duos_with_cadence``);
* **past their planned end**: active duos whose planned end has passed;
* **without a meeting**: active duos whose last held meeting (or, without
  one, whose start) is ``REMINDER_NO_MEETING_DAYS`` days ago or more;
* **follow-ups due**: follow-ups due and not recorded
  (``followups.selectors.follow_ups_due``).

Each list is a count, its first ``LIST_LIMIT`` rows and the URL of the full,
filtered list. Every function takes what the user may see
(``Duo.objects.visible_to(user)``). A cancelled duo is neither active nor
closed: it is in no list.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode

from django.db.models import Count, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from duos import selectors as duo_selectors
from duos.models import DuoStatus
from duos.selectors import duos_with_cadence
from followups.selectors import follow_ups_due, offsets_in_use
from mentoring.types import Text

if TYPE_CHECKING:
    from programmes.models import Partner

LIST_LIMIT = 5  # rows shown per list on the home page and in a digest

BEHIND_CADENCE = "behind_cadence"
PAST_PLANNED_END = "past_planned_end"
WITHOUT_MEETING = "without_meeting"
FOLLOW_UPS_DUE = "follow_ups_due"
KEYS = (BEHIND_CADENCE, PAST_PLANNED_END, WITHOUT_MEETING, FOLLOW_UPS_DUE)

TITLES = {
    BEHIND_CADENCE: _("Duos behind their meeting cadence"),
    PAST_PLANNED_END: _("Duos past their planned end, not closed"),
    WITHOUT_MEETING: _("Duos without a meeting for a while"),
    FOLLOW_UPS_DUE: _("Follow-ups due"),
}

# The duo list's filters for each list (``duos.filters.DuoFilter``).
DUO_LIST_FILTERS = {
    BEHIND_CADENCE: {"status": "active", "behind_cadence": "yes"},
    PAST_PLANNED_END: {"status": "active", "past_planned_end": "yes"},
    WITHOUT_MEETING: {"status": "active", "without_meeting": "yes", "o": "last_meeting"},
}


@dataclass
class ReminderList:
    """One list: ``rows`` are the first ``LIST_LIMIT`` duos (for follow-ups:
    slot rows with ``offset_months`` and ``due_date``) out of ``count``."""

    key: str
    count: int
    rows: list = field(default_factory=list)
    url: str = ""

    @property
    def title(self) -> Text:
        return TITLES[self.key]

    @property
    def more(self) -> int:
        return self.count - len(self.rows)


def active_duos(duos: QuerySet) -> QuerySet:
    return duos.filter(status=DuoStatus.ACTIVE)


def behind_cadence(duos: QuerySet, *, today: datetime.date) -> QuerySet:
    return duos_with_cadence(active_duos(duos), today=today).filter(is_behind_cadence=True)


def past_planned_end(duos: QuerySet, *, today: datetime.date) -> QuerySet:
    return duos.filter(duo_selectors.past_planned_end(today))


def without_meeting(duos: QuerySet, *, today: datetime.date) -> QuerySet:
    return duo_selectors.without_meeting(active_duos(duos), today=today)


def list_url(key: str, **params: object) -> str:
    """The full list behind ``key``, filtered (``params`` narrow it further,
    e.g. ``partner=3``), as a path with its query string."""
    if key == FOLLOW_UPS_DUE:
        return reverse("followups:follow_up_list") + (f"?{urlencode(params)}" if params else "")
    return reverse("duos:duo_list") + "?" + urlencode({**params, **DUO_LIST_FILTERS[key]})


def reminder_lists(duos: QuerySet, *, today: datetime.date | None = None) -> list[ReminderList]:
    """The four lists over ``duos`` on ``today``, in ``KEYS`` order: a count
    and the first rows of each (two queries a list, one more for the offsets
    in use)."""
    today = today or timezone.localdate()
    duos = duos.select_related("programme", "mentor", "mentee")
    querysets = {
        BEHIND_CADENCE: behind_cadence(duos, today=today).order_by("planned_end_date", "pk"),
        PAST_PLANNED_END: past_planned_end(duos, today=today).order_by("planned_end_date", "pk"),
        WITHOUT_MEETING: without_meeting(duos, today=today).order_by("quiet_since", "pk"),
        FOLLOW_UPS_DUE: follow_ups_due(duos, today=today, offsets=offsets_in_use()),
    }
    return [
        ReminderList(key=key, count=queryset.count(), rows=list(queryset[:LIST_LIMIT]), url=list_url(key))
        for key, queryset in querysets.items()
    ]


def reminder_counts_by_partner(
    duos: QuerySet, partners: Sequence[Partner], *, today: datetime.date | None = None
) -> list[tuple[Partner, dict[str, Any]]]:
    """For staff: ``[(partner, {key: (count, url)})]`` for each partner of
    ``partners``, one grouped query per list."""
    today = today or timezone.localdate()
    offsets = offsets_in_use()
    querysets = {
        BEHIND_CADENCE: behind_cadence(duos, today=today),
        PAST_PLANNED_END: past_planned_end(duos, today=today),
        WITHOUT_MEETING: without_meeting(duos, today=today),
        FOLLOW_UPS_DUE: follow_ups_due(duos, today=today, offsets=offsets),
    }
    counts = {
        key: dict(queryset.order_by().values_list("partner_id").annotate(n=Count("pk")))
        for key, queryset in querysets.items()
    }
    return [
        (
            partner,
            {key: (counts[key].get(partner.pk, 0), list_url(key, partner=partner.pk)) for key in KEYS},
        )
        for partner in partners
    ]


def has_something(lists: Iterable[ReminderList]) -> bool:
    return any(reminder.count for reminder in lists)
