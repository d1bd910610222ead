"""A duo's meetings. Every write locks the duo's row first: meetings of one
duo are written one at a time, so the same-day rule, the one-time form token
and the cadence flag hold under concurrent requests."""

import datetime
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from programmes.models import MeetingPlaceRule

from .. import bounds
from ..models import Duo, DuoStatus, Meeting, MeetingPlace, MeetingStatus
from .common import Errors, add, check_unchanged, fmt, lock_duo

# A second meeting of a duo on one day needs the coordinator's confirmation
# (``confirm_same_day``): it is more often a double entry than a real meeting.
# Either way the day counts once for the cadence (``Meeting.counts_for_cadence``).
SAME_DAY_CODE = "same_day"


def _read_only_error(duo: Duo) -> ValidationError | None:
    """The error for a write on the meetings of a duo that is not active, or ``None``."""
    if duo.status == DuoStatus.CLOSED:
        return ValidationError(_("This duo is closed: its meetings are read-only until it is reopened."))
    if duo.status == DuoStatus.CANCELLED:
        return ValidationError(_("This duo was cancelled: its meetings are read-only."))
    return None


def _log_refusal(duo: Duo) -> ValidationError | None:
    """Why ``duo`` takes no new meeting (a ``ValidationError``), or ``None``."""
    if duo.status == DuoStatus.CLOSED:
        return ValidationError(_("This duo is closed; it cannot take new meetings."))
    return _read_only_error(duo)


def _meeting_errors(
    *,
    duo: Duo,
    date: datetime.date,
    place: str,
    status: str,
    today: datetime.date,
    meeting: Meeting | None = None,
    confirm_same_day: bool = False,
    day_taken: Callable[[datetime.date], bool] | None = None,
) -> Errors:
    """``{field: [messages]}`` of a meeting of ``duo`` (its programme loaded)
    on ``date``. ``day_taken(date)`` says whether another meeting of the duo
    is on that day (default: asks the database, ``meeting`` aside)."""
    errors = bounds.date_range_errors(date=date)
    if errors:
        return errors
    if date < duo.start_date:
        add(
            errors,
            "date",
            _("A meeting cannot be before the duo started (%(start)s).") % {"start": fmt(duo.start_date)},
        )
    if date > today:
        add(errors, "date", _("A meeting cannot be in the future."))
    if duo.end_date and date > duo.end_date:
        add(
            errors,
            "date",
            _("A meeting cannot be after the duo closed (%(end)s).") % {"end": fmt(duo.end_date)},
        )
    at_workplace_only = duo.programme.meeting_place == MeetingPlaceRule.MENTOR_WORKPLACE
    if at_workplace_only and status == MeetingStatus.HELD and place != MeetingPlace.MENTOR_WORKPLACE:
        add(
            errors,
            "place",
            _("%(programme)s meetings take place at the mentor's workplace.") % {"programme": duo.programme.name},
        )
    if not errors and not confirm_same_day:
        if day_taken is None:
            same_day = Meeting.objects.filter(duo=duo, date=date)
            if meeting is not None:
                same_day = same_day.exclude(pk=meeting.pk)
            taken = same_day.exists()
        else:
            taken = day_taken(date)
        if taken:
            errors["date"] = [
                ValidationError(
                    _(
                        "This duo already has a meeting on %(date)s. Tick the box below to record a second one "
                        "on that day; the cadence counts it once."
                    )
                    % {"date": fmt(date)},
                    code=SAME_DAY_CODE,
                )
            ]
    return errors


def meeting_cadence_days_sync(*, duo: Duo, dates: Iterable[datetime.date]) -> None:
    """Keep ``counts_for_cadence`` on the first held meeting (lowest id) of
    each of ``dates`` of ``duo`` and off on the others. Two queries per date;
    the flag is derived data, so this changes neither ``updated_at`` nor the
    history. Call under the duo's lock; the admin calls it after its own
    writes of meetings."""
    for day in set(dates):
        held = list(
            Meeting.objects.filter(duo=duo, date=day, status=MeetingStatus.HELD)
            .order_by("pk")
            .values_list("pk", flat=True)
        )
        # Off first, then on: the partial unique index allows one counting meeting a day.
        Meeting.objects.filter(duo=duo, date=day).exclude(pk__in=held[:1]).update(counts_for_cadence=False)
        if held:
            Meeting.objects.filter(pk=held[0]).update(counts_for_cadence=True)


def meeting_log(
    *,
    duo: Duo,
    date: datetime.date,
    duration_minutes: int,
    place: str,
    status: str = MeetingStatus.HELD,
    note: str = "",
    confirm_same_day: bool = False,
    form_token: str | None = None,
    today: datetime.date | None = None,
) -> Meeting:
    """Record a meeting of an active duo: a date inside the allowed range, not
    before the duo started, not in the future, 1 to 480 minutes
    (``bounds.validate_meeting_duration``). A second meeting on a day that
    already has one is refused (code ``SAME_DAY_CODE`` on ``date``) unless
    ``confirm_same_day``; it is then stored without ``counts_for_cadence``.

    ``form_token`` is the one-time token of the form (a UUID): a form submitted
    twice stores one meeting, and the second call returns it. Returns the
    ``Meeting``."""
    today = today or timezone.localdate()
    with transaction.atomic():
        duo = lock_duo(duo)
        if form_token is not None:
            already = Meeting.objects.filter(form_token=form_token, duo=duo).first()
            if already is not None:
                return already
        refusal = _log_refusal(duo)
        if refusal is not None:
            raise refusal
        errors = _meeting_errors(
            duo=duo, date=date, place=place, status=status, today=today, confirm_same_day=confirm_same_day
        )
        if errors:
            raise ValidationError(errors)
        counts = status == MeetingStatus.HELD and not Meeting.objects.for_cadence().filter(duo=duo, date=date).exists()
        meeting = Meeting(
            duo=duo,
            date=date,
            duration_minutes=duration_minutes,
            place=place,
            status=status,
            note=note,
            counts_for_cadence=counts,
            form_token=form_token,
        )
        meeting.full_clean(validate_unique=False)
        try:
            with transaction.atomic():
                meeting.save()
        except IntegrityError as exc:  # the token was used on another duo's form
            raise ValidationError(
                _("This form was already sent. Reload the page and enter the meeting again.")
            ) from exc
    return meeting


def meeting_update(
    *,
    meeting: Meeting,
    date: datetime.date,
    duration_minutes: int,
    place: str,
    status: str,
    note: str = "",
    confirm_same_day: bool = False,
    opened_version: datetime.datetime | None = None,
    today: datetime.date | None = None,
) -> Meeting:
    """Correct a recorded meeting of an active duo (a closed duo's meetings are
    read-only until it is reopened); the rules of ``meeting_log`` apply, and
    ``opened_version`` refuses an edit over a newer one."""
    today = today or timezone.localdate()
    with transaction.atomic():
        duo = lock_duo(meeting.duo)
        read_only = _read_only_error(duo)
        if read_only is not None:
            raise read_only
        current = Meeting.objects.get(pk=meeting.pk)
        check_unchanged(current, opened_version)
        errors = _meeting_errors(
            duo=duo,
            date=date,
            place=place,
            status=status,
            today=today,
            meeting=meeting,
            confirm_same_day=confirm_same_day,
        )
        if errors:
            raise ValidationError(errors)
        meeting.date = date
        meeting.duration_minutes = duration_minutes
        meeting.place = place
        meeting.status = status
        meeting.note = note
        # The first held meeting of its (new) day counts for the cadence; the
        # others of that day stop counting before it is saved (the partial
        # unique index allows one a day), and the day it leaves is settled after.
        earlier = Meeting.objects.filter(duo=duo, date=date, status=MeetingStatus.HELD, pk__lt=meeting.pk)
        meeting.counts_for_cadence = status == MeetingStatus.HELD and not earlier.exists()
        if meeting.counts_for_cadence:
            Meeting.objects.filter(duo=duo, date=date).exclude(pk=meeting.pk).update(counts_for_cadence=False)
        meeting.full_clean(validate_unique=False)
        meeting.save()
        meeting_cadence_days_sync(duo=duo, dates=[current.date, date])
    return meeting


def meeting_delete(*, meeting: Meeting) -> None:
    """Delete a meeting of an active duo (a closed duo's meetings are
    read-only until it is reopened); another held meeting of that day then
    counts for the cadence."""
    with transaction.atomic():
        duo = lock_duo(meeting.duo)
        read_only = _read_only_error(duo)
        if read_only is not None:
            raise read_only
        day = meeting.date
        meeting.delete()
        meeting_cadence_days_sync(duo=duo, dates=[day])


def meeting_log_many(
    *, duo: Duo, meetings: Sequence[dict[str, Any]], today: datetime.date | None = None
) -> list[Meeting | ValidationError]:
    """Record several new meetings of one duo at once, each judged exactly as
    ``meeting_log`` judges it after the ones before it in ``meetings`` were
    logged: the same refusals (``_log_refusal``), the same rules
    (``_meeting_errors``, the model's field bounds), the same-day
    confirmation and the cadence flag. For the spreadsheet import: one lock
    of the duo, one read of its meetings, one insert of the new meetings and
    one of their history (django-simple-history's
    ``bulk_create_with_history``, which names the same user as a save),
    whatever the number of meetings.

    ``meetings``: dicts of ``meeting_log``'s arguments (``date``,
    ``duration_minutes``, ``place``, optional ``status``, ``note``,
    ``confirm_same_day``; no ``form_token``) and an optional ``reference``
    (the partner's own, unique per duo). Returns a list as long as
    ``meetings``: for each, the saved ``Meeting`` or the ``ValidationError``
    that refused it (then nothing of it is written)."""
    today = today or timezone.localdate()
    if not meetings:
        return []
    with transaction.atomic():
        duo = lock_duo(duo)
        refusal = _log_refusal(duo)
        if refusal is not None:
            return [refusal for _item in meetings]
        days, counted, references = set(), set(), set()
        for day, status, counts, reference in Meeting.objects.filter(duo=duo).values_list(
            "date", "status", "counts_for_cadence", "reference"
        ):
            days.add(day)
            if counts and status == MeetingStatus.HELD:
                counted.add(day)
            references.add(reference)
        results, new = [], []
        for item in meetings:
            result = _judge_new_meeting(duo, item, today=today, days=days, counted=counted, references=references)
            results.append(result)
            if isinstance(result, Meeting):
                days.add(result.date)
                if result.counts_for_cadence:
                    counted.add(result.date)
                if result.reference:
                    references.add(result.reference)
                new.append(result)
        # The database's constraints (cadence flag, reference) stay the last word.
        bulk_create_with_history(new, Meeting)
    return results


def _judge_new_meeting(
    duo: Duo,
    item: dict[str, Any],
    *,
    today: datetime.date,
    days: set[datetime.date],
    counted: set[datetime.date],
    references: set[str],
) -> Meeting | ValidationError:
    """``meeting_log``'s checks of one ``item`` of ``meeting_log_many``
    against the duo's meetings in memory (``days`` with a meeting,
    ``counted`` with a counting one, the ``references`` taken): the unsaved
    ``Meeting``, or the ``ValidationError``."""
    status = item.get("status", MeetingStatus.HELD)
    errors = _meeting_errors(
        duo=duo,
        date=item["date"],
        place=item["place"],
        status=status,
        today=today,
        confirm_same_day=item.get("confirm_same_day", False),
        day_taken=days.__contains__,
    )
    if errors:
        return ValidationError(errors)
    meeting = Meeting(
        duo=duo,
        date=item["date"],
        duration_minutes=item["duration_minutes"],
        place=item["place"],
        status=status,
        note=item.get("note", ""),
        reference=item.get("reference", ""),
        counts_for_cadence=status == MeetingStatus.HELD and item["date"] not in counted,
    )
    try:
        # The duo is the locked row, and the constraints are the ones checked
        # here in memory (the cadence flag above, the reference below, the
        # duration by its field's validator): no query per meeting.
        meeting.full_clean(exclude=["duo"], validate_unique=False, validate_constraints=False)
    except ValidationError as exc:
        return exc
    if meeting.reference and meeting.reference in references:
        return ValidationError({"reference": [_("This duo already has a meeting with this reference.")]})
    return meeting
