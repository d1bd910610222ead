"""Reads of duos that several views share (home, lists, duo detail).

Every function takes a queryset that already starts from
``Duo.objects.visible_to(user)`` (or a duo the caller resolved that way), and
computes in the database: no loop over meetings in Python.

**A day counts once for the cadence.** A duo may record two held meetings on
one day (the coordinator confirms the second one: ``duos.services.meeting_log``),
but only the first of them has ``Meeting.counts_for_cadence``; the cadence
counts held meetings with that flag (``Meeting.objects.for_cadence()``), so a
day with meetings counts once towards the programme's minimum per month. The
services keep the flag (one per duo and day, a partial unique index makes sure
of "at most one"); anything that counts meetings for the cadence, here or in
``reporting``, filters on it.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.conf import settings
from django.db.models import (
    BooleanField,
    Case,
    Count,
    DateField,
    Exists,
    F,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce, TruncMonth
from django.utils import timezone

from mentoring.queries import count_subquery
from mentoring.types import AnyUser

from .models import Duo, DuoStatus, Meeting, Outcome


def last_complete_month(today: datetime.date) -> tuple[datetime.date, datetime.date]:
    """First and last day of the last complete calendar month before ``today``."""
    last_day = today.replace(day=1) - datetime.timedelta(days=1)
    return last_day.replace(day=1), last_day


def _month_end(month_start: datetime.date) -> datetime.date:
    next_month = (month_start.replace(day=28) + datetime.timedelta(days=4)).replace(day=1)
    return next_month - datetime.timedelta(days=1)


def active_throughout(first_day: datetime.date, last_day: datetime.date) -> Q:
    """Duos active on every day from ``first_day`` to ``last_day``. A duo is
    active on a day when it started on or before it and had not closed by then:
    a closed duo's end date is the day it stops (as in the figure "duos active
    at the end of the period", so that started = closed + still active). With a
    calendar month this is the "duo-month" of the cadence figure (docs/figures.md)."""
    return Q(start_date__lte=first_day) & (Q(end_date__isnull=True) | Q(end_date__gt=last_day))


def held_meetings_between(first_day: datetime.date, last_day: datetime.date) -> Coalesce:
    """Held meetings of the outer duo from ``first_day`` to ``last_day`` that
    count for the cadence (one per day: ``Meeting.objects.for_cadence``), as
    one correlated subquery (0 when none): meetings are never joined, so they
    cannot multiply the duo rows."""
    return count_subquery(Meeting.objects.for_cadence().filter(date__range=(first_day, last_day)), "duo")


def duos_with_cadence(queryset: QuerySet, *, today: datetime.date | None = None) -> QuerySet:
    """Annotate duos with their meeting cadence over the last complete month.

    **Behind cadence** (the one definition used by the home page, the duo list
    filter and the detail page): take the last complete calendar month before
    ``today``; a duo is behind when it was active on *every* day of that month
    (partial first and last months never count) and held fewer meetings in it
    than its programme's ``min_meetings_per_month``. Cancelled meetings do not
    count; two held meetings on one day count once (``counts_for_cadence``).

    Adds ``cadence_held_last_month`` (held meetings in that month, one
    correlated subquery) and ``is_behind_cadence`` (boolean). The programme is
    joined for its rule, so callers usually ``select_related("programme")``.
    """
    today = today or timezone.localdate()
    first_day, last_day = last_complete_month(today)
    return queryset.annotate(
        cadence_held_last_month=held_meetings_between(first_day, last_day),
    ).annotate(
        is_behind_cadence=Case(
            When(
                active_throughout(first_day, last_day)
                & Q(cadence_held_last_month__lt=F("programme__min_meetings_per_month")),
                then=Value(True),
            ),
            default=Value(False),
            output_field=BooleanField(),
        ),
    )


def duos_with_meeting_summary(queryset: QuerySet) -> QuerySet:
    """Annotate ``meetings_held`` (held meetings so far), one subquery, so that
    no other join multiplies the rows. The date of the last held meeting is
    the duo's own column, ``last_meeting_date`` (kept by the database:
    ``duos.database_rules``)."""
    return queryset.annotate(meetings_held=count_subquery(Meeting.objects.held(), "duo"))


def duos_needing_attention(queryset: QuerySet, *, today: datetime.date | None = None) -> QuerySet:
    """Active duos from ``queryset`` that need the coordinator's attention:
    behind cadence (see ``duos_with_cadence``), past their planned end and not
    closed, or started without any meeting recorded yet. Each reason is annotated
    (``is_behind_cadence``, ``is_past_planned_end``, ``has_no_meeting``)."""
    today = today or timezone.localdate()
    queryset = duos_with_cadence(queryset.filter(status=DuoStatus.ACTIVE), today=today)
    queryset = queryset.annotate(
        is_past_planned_end=Case(
            When(planned_end_date__lt=today, then=Value(True)), default=Value(False), output_field=BooleanField()
        ),
        # A duo that has not started yet (at most DUO_START_MAX_DAYS_AHEAD days
        # ahead) cannot have met.
        has_no_meeting=Case(
            When(Q(start_date__lte=today) & ~Exists(Meeting.objects.filter(duo=OuterRef("pk"))), then=Value(True)),
            default=Value(False),
            output_field=BooleanField(),
        ),
    )
    return queryset.filter(Q(is_behind_cadence=True) | Q(is_past_planned_end=True) | Q(has_no_meeting=True))


def full_months(duo: Duo, *, today: datetime.date | None = None) -> list[datetime.date]:
    """First days of the calendar months in which ``duo`` was active on every
    day, up to the last complete month before ``today``."""
    today = today or timezone.localdate()
    _, last_allowed = last_complete_month(today)
    if duo.end_date is not None and duo.end_date <= last_allowed:
        last_allowed = duo.end_date - datetime.timedelta(days=1)  # not active on its end date
    start = duo.start_date
    month = start if start.day == 1 else _month_end(start) + datetime.timedelta(days=1)
    months = []
    while _month_end(month) <= last_allowed:
        months.append(month)
        month = _month_end(month) + datetime.timedelta(days=1)
    return months


def duo_cadence_by_month(duo: Duo, *, today: datetime.date | None = None) -> list[dict[str, Any]]:
    """Cadence compliance of ``duo`` for each of its full months (see
    ``full_months``): a list of dicts ``{"month", "held", "minimum", "met"}``,
    oldest first. Held meetings per month (one per day, as everywhere in the
    cadence: ``Meeting.objects.for_cadence``) come from one aggregate query
    (``TruncMonth``); the months themselves are calendar arithmetic."""
    months = full_months(duo, today=today)
    if not months:
        return []
    counts = {
        row["month"]: row["n"]
        for row in Meeting.objects.for_cadence()
        .filter(duo=duo, date__gte=months[0], date__lte=_month_end(months[-1]))
        .order_by()
        .annotate(month=TruncMonth("date"))
        .values("month")
        .annotate(n=Count("pk"))
    }
    # TruncMonth of a DateField is a date; some backends hand back a datetime.
    counts = {(k.date() if isinstance(k, datetime.datetime) else k): v for k, v in counts.items()}
    minimum = duo.programme.min_meetings_per_month
    return [
        {"month": month, "held": counts.get(month, 0), "minimum": minimum, "met": counts.get(month, 0) >= minimum}
        for month in months
    ]


# --- reminders: duos that need the coordinator (home page, digests, duo list) --


def past_planned_end(today: datetime.date) -> Q:
    """``Q``: active duos whose planned end is before ``today`` (not closed in time)."""
    return Q(status=DuoStatus.ACTIVE, planned_end_date__lt=today)


def no_meeting_since(today: datetime.date) -> datetime.date:
    """The day on or before which a duo's last held meeting makes it "without a
    meeting" on ``today`` (``REMINDER_NO_MEETING_DAYS`` days before)."""
    return today - datetime.timedelta(days=settings.REMINDER_NO_MEETING_DAYS)


def without_meeting(queryset: QuerySet, *, today: datetime.date) -> QuerySet:
    """Active duos of ``queryset`` whose last held meeting, or their start when
    none is held, is ``REMINDER_NO_MEETING_DAYS`` days before ``today`` or
    earlier (``Duo.last_meeting_date``); adds ``quiet_since``."""
    return (
        queryset.filter(status=DuoStatus.ACTIVE)
        .annotate(quiet_since=Coalesce("last_meeting_date", "start_date", output_field=DateField()))
        .filter(quiet_since__lte=no_meeting_since(today))
    )


def active_duo_count(person_field: str) -> Coalesce:
    """Active duos of each mentor or mentee (``person_field`` is ``"mentor"``
    or ``"mentee"``): one correlated COUNT subquery, 0 when none."""
    return count_subquery(Duo.objects.active(), person_field)


def duo_list_for_user(user: AnyUser) -> QuerySet:
    """The duo list's rows for ``user`` (only ``visible_to``), before its
    filters: the people, partner and programme joined with only the columns
    the list shows, and ``duos_with_list_columns``."""
    queryset = (
        Duo.objects.visible_to(user)
        .select_related("partner", "programme", "mentor", "mentee")
        .only(
            "start_date",
            "planned_end_date",
            "end_date",
            "status",
            "last_meeting_date",
            "partner__name",
            "programme__name",
            "programme__min_meetings_per_month",
            "mentor__first_name",
            "mentor__last_name",
            "mentee__first_name",
            "mentee__last_name",
            "mentee__jobseeker_number",
        )
    )
    return duos_with_list_columns(queryset)


def duos_with_list_columns(queryset: QuerySet) -> QuerySet:
    """Duos annotated with what the duo list (and the API's duo) shows beside
    their columns: the cadence (``duos_with_cadence``), the meeting summary
    (``duos_with_meeting_summary``) and ``outcome_type``, the primary outcome's
    type (``None`` for none); one subquery each."""
    queryset = duos_with_meeting_summary(duos_with_cadence(queryset))
    return queryset.annotate(
        outcome_type=Subquery(Outcome.objects.filter(duo=OuterRef("pk"), is_primary=True).values("type")[:1])
    )
