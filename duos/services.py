"""Writes that carry business rules. Each function takes keyword-only
arguments, validates every rule it knows about, and raises one
``ValidationError`` (keyed by form field where there is one) with messages a
coordinator understands; nothing is written when a rule is broken."""

from dateutil.relativedelta import relativedelta
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max, Min
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from programmes.models import MeetingPlaceRule

from . import bounds
from .bounds import age_on  # noqa: F401  (part of this module's API since the start)
from .models import (
    Duo,
    DuoStatus,
    Meeting,
    MeetingPlace,
    MeetingStatus,
    Mentor,
    MigrationBackground,
    Outcome,
    OutcomeSource,
    OutcomeType,
)

# A second meeting of a duo on one day needs the coordinator's confirmation
# (``confirm_same_day``): it is more often a double entry than a real meeting.
# Either way the cadence counts held meetings by distinct date (duos.selectors).
SAME_DAY_CODE = "same_day"


def planned_end_for(programme, start_date):
    """The planned end of a duo of ``programme`` starting on ``start_date``
    (``start_date`` must be inside the allowed date range: see ``bounds``)."""
    return start_date + relativedelta(months=programme.duration_months)


def _fmt(day):
    return date_format(day, "SHORT_DATE_FORMAT")


def _add(errors, field, message):
    errors.setdefault(field, []).append(message)


def _merge(errors, more):
    for field, messages in more.items():
        errors.setdefault(field, []).extend(messages)
    return errors


def duo_eligibility_errors(*, programme, mentor, mentee, start_date, convention=None):
    """Every programme rule the proposed duo breaks, as ``{field: [messages]}``:
    the ages every duo respects (``bounds.age_at_start_errors``), then the
    programme's own rules (data of ``Programme``), the people's other duos and
    the convention. ``start_date`` is inside the allowed date range."""
    errors = {}
    if not programme.is_active:
        _add(errors, "programme", _("This programme no longer takes new duos."))
    if mentor.partner_id != programme.partner_id:
        _add(errors, "mentor", _("This mentor belongs to another partner than the programme."))
    if mentee.partner_id != programme.partner_id:
        _add(errors, "mentee", _("This mentee belongs to another partner than the programme."))

    general_ages = bounds.age_at_start_errors(
        mentor_birth_date=mentor.birth_date, mentee_birth_date=mentee.birth_date, start_date=start_date
    )
    _merge(errors, general_ages)
    mentee_age = age_on(mentee.birth_date, start_date)
    if "mentee" not in general_ages:
        if programme.mentee_min_age is not None and mentee_age < programme.mentee_min_age:
            _add(
                errors,
                "mentee",
                _("The mentee is %(age)s on the start date; %(programme)s takes mentees from %(min)s.")
                % {"age": mentee_age, "programme": programme.name, "min": programme.mentee_min_age},
            )
        if programme.mentee_max_age is not None and mentee_age > programme.mentee_max_age:
            _add(
                errors,
                "mentee",
                _("The mentee is %(age)s on the start date; %(programme)s takes mentees up to %(max)s.")
                % {"age": mentee_age, "programme": programme.name, "max": programme.mentee_max_age},
            )
    mentor_age = age_on(mentor.birth_date, start_date)
    if "mentor" not in general_ages and programme.mentor_min_age is not None and mentor_age < programme.mentor_min_age:
        _add(
            errors,
            "mentor",
            _("The mentor is %(age)s on the start date; %(programme)s takes mentors from %(min)s.")
            % {"age": mentor_age, "programme": programme.name, "min": programme.mentor_min_age},
        )
    if programme.migration_background_required:
        has_background = MigrationBackground.objects.filter(mentee=mentee, has_migration_background=True).exists()
        if not has_background:
            _add(
                errors,
                "mentee",
                _("%(programme)s is for mentees with a migration background, and none is recorded for this mentee.")
                % {"programme": programme.name},
            )

    if Duo.objects.filter(mentee=mentee, status=DuoStatus.ACTIVE).exists():
        _add(errors, "mentee", _("This mentee already has an active duo; close it before starting another."))
    _merge(errors, _mentor_capacity_errors(programme=programme, mentor=mentor))
    if convention is not None:
        _merge(
            errors, _convention_errors(convention=convention, partner_id=programme.partner_id, start_date=start_date)
        )
    return errors


def _mentor_capacity_errors(*, programme, mentor, exclude_duo=None):
    active_for_mentor = Duo.objects.filter(mentor=mentor, status=DuoStatus.ACTIVE)
    if exclude_duo is not None:
        active_for_mentor = active_for_mentor.exclude(pk=exclude_duo.pk)
    active_for_mentor = active_for_mentor.count()
    if active_for_mentor < programme.max_active_duos_per_mentor:
        return {}
    return {
        "mentor": [
            ngettext(
                "This mentor already runs %(count)d active duo, the most %(programme)s allows.",
                "This mentor already runs %(count)d active duos, the most %(programme)s allows.",
                active_for_mentor,
            )
            % {"count": active_for_mentor, "programme": programme.name}
        ]
    }


def _convention_errors(*, convention, partner_id, start_date):
    errors = {}
    if not (convention.period_start <= start_date <= convention.period_end):
        _add(
            errors,
            "convention",
            _("The start date is outside the convention's period (%(start)s to %(end)s).")
            % {"start": _fmt(convention.period_start), "end": _fmt(convention.period_end)},
        )
    shares = list(convention.shares.values_list("partner_id", flat=True))
    if shares and partner_id not in shares:
        _add(errors, "convention", _("This convention does not fund this partner."))
    return errors


def _lock_duo(duo):
    """The duo's row, locked until the end of the transaction and read afresh:
    every write that reads a duo's state and then changes the duo or its
    meetings and outcomes goes through here, so two such writes never
    interleave (an edit racing a closure, two closures, a meeting logged while
    the duo closes)."""
    return Duo.objects.select_for_update().select_related("programme").get(pk=duo.pk)


def duo_create(*, programme, mentor, mentee, start_date, convention=None, today=None):
    """Start a duo after checking its start date (inside the allowed range, at
    most ``DUO_START_MAX_DAYS_AHEAD`` days ahead: ``bounds.duo_start_errors``),
    the ages, the programme's eligibility rules, and that neither the mentee
    nor the mentor is over-committed. Returns the saved ``Duo``; raises
    ``ValidationError`` keyed by form field."""
    errors = bounds.duo_start_errors(start_date=start_date, today=today)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        # Lock the mentor so two duos cannot both take the mentor's last place.
        Mentor.objects.select_for_update().filter(pk=mentor.pk).first()
        errors = duo_eligibility_errors(
            programme=programme, mentor=mentor, mentee=mentee, start_date=start_date, convention=convention
        )
        if errors:
            raise ValidationError(errors)
        duo = Duo(
            partner_id=programme.partner_id,
            programme=programme,
            mentor=mentor,
            mentee=mentee,
            convention=convention,
            start_date=start_date,
            planned_end_date=planned_end_for(programme, start_date),
        )
        duo.full_clean()
        try:
            with transaction.atomic():
                duo.save()
        except IntegrityError as exc:  # a concurrent request won the race
            raise ValidationError(
                {"mentee": [_("This mentee already has an active duo; close it before starting another.")]}
            ) from exc
    return duo


def _meeting_errors(*, duo, date, place, status, today, meeting=None, confirm_same_day=False):
    errors = bounds.date_range_errors(date=date)
    if errors:
        return errors
    if duo.status == DuoStatus.CLOSED and meeting is None:
        _add(errors, "__all__", _("This duo is closed; it cannot take new meetings."))
        return errors
    if date < duo.start_date:
        _add(
            errors,
            "date",
            _("A meeting cannot be before the duo started (%(start)s).") % {"start": _fmt(duo.start_date)},
        )
    if date > today:
        _add(errors, "date", _("A meeting cannot be in the future."))
    if duo.end_date and date > duo.end_date:
        _add(
            errors,
            "date",
            _("A meeting cannot be after the duo closed (%(end)s).") % {"end": _fmt(duo.end_date)},
        )
    at_workplace_only = duo.programme.meeting_place == MeetingPlaceRule.MENTOR_WORKPLACE
    if at_workplace_only and status == MeetingStatus.HELD and place != MeetingPlace.MENTOR_WORKPLACE:
        _add(
            errors,
            "place",
            _("%(programme)s meetings take place at the mentor's workplace.") % {"programme": duo.programme.name},
        )
    if not errors and not confirm_same_day:
        same_day = Meeting.objects.filter(duo=duo, date=date)
        if meeting is not None:
            same_day = same_day.exclude(pk=meeting.pk)
        if same_day.exists():
            errors["date"] = [
                ValidationError(
                    _(
                        "This duo already has a meeting on %(date)s. Tick the box below to record a second one "
                        "on that day; the cadence counts it once."
                    )
                    % {"date": _fmt(date)},
                    code=SAME_DAY_CODE,
                )
            ]
    return errors


def meeting_log(
    *,
    duo,
    date,
    duration_minutes,
    place,
    status=MeetingStatus.HELD,
    note="",
    confirm_same_day=False,
    today=None,
):
    """Record a meeting of an active duo: a date inside the allowed range, not
    before the duo started, not in the future, 1 to 480 minutes
    (``bounds.validate_meeting_duration``). A second meeting on a day that
    already has one is refused (code ``SAME_DAY_CODE`` on ``date``) unless
    ``confirm_same_day``. Returns the saved ``Meeting``."""
    today = today or timezone.localdate()
    with transaction.atomic():
        duo = _lock_duo(duo)
        errors = _meeting_errors(
            duo=duo, date=date, place=place, status=status, today=today, confirm_same_day=confirm_same_day
        )
        if errors:
            raise ValidationError(errors)
        meeting = Meeting(duo=duo, date=date, duration_minutes=duration_minutes, place=place, status=status, note=note)
        meeting.full_clean()
        meeting.save()
    return meeting


def meeting_update(*, meeting, date, duration_minutes, place, status, note="", confirm_same_day=False, today=None):
    """Correct a recorded meeting; the rules of ``meeting_log`` apply."""
    today = today or timezone.localdate()
    with transaction.atomic():
        duo = _lock_duo(meeting.duo)
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
        meeting.full_clean()
        meeting.save()
    return meeting


def meeting_delete(*, meeting):
    meeting.delete()


def _closure_errors(
    *,
    duo,
    end_date,
    reason,
    outcome_type,
    contract_type,
    outcome_start_date,
    contract_months,
    note,
    today,
):
    """Every rule a closure (or a corrected closure) of ``duo`` breaks:
    ``{field: [messages]}`` keyed by the closure form's fields."""
    errors = bounds.date_range_errors(end_date=end_date, outcome_start_date=outcome_start_date)
    if errors:
        return errors
    _merge(errors, bounds.field_errors("note", bounds.validate_note_length, note))
    if end_date < duo.start_date:
        _add(
            errors,
            "end_date",
            _("The end date cannot be before the duo started (%(start)s).") % {"start": _fmt(duo.start_date)},
        )
    if end_date > today:
        _add(errors, "end_date", _("The end date cannot be in the future."))
    last_meeting = duo.meetings.order_by("-date").values_list("date", flat=True).first()
    if last_meeting and end_date < last_meeting:
        _add(
            errors,
            "end_date",
            _("A meeting is recorded on %(date)s, after this end date.") % {"date": _fmt(last_meeting)},
        )
    if not reason:
        _add(errors, "reason", _("Say why the duo ends."))
    if not outcome_type:
        _add(errors, "outcome_type", _("Choose the outcome."))
    if reason:
        _merge(
            errors,
            bounds.closure_errors(
                reason=reason,
                end_date=end_date,
                planned_end_date=duo.planned_end_date,
                tolerance_days=duo.programme.completion_tolerance_days,
                outcome_type=outcome_type,
            ),
        )
    _merge(
        errors,
        bounds.outcome_errors(
            outcome_type=outcome_type,
            contract_type=contract_type,
            contract_months=contract_months,
            start_date=outcome_start_date,
            duo_start=duo.start_date,
            duo_end=end_date,
        ),
    )
    return errors


def duo_close(
    *,
    duo,
    end_date,
    reason,
    outcome_type,
    contract_type="",
    outcome_start_date=None,
    contract_months=None,
    employer="",
    source=OutcomeSource.MENTEE,
    note="",
    today=None,
):
    """Close an active duo with its closure reason and primary outcome.

    The duo's row is locked and its state re-read first; then the closure's
    bounds apply (``_closure_errors``: dates, "completed" within the
    programme's tolerance of the planned end, "found a job" with a positive
    outcome, contract length, job start). Returns the closed ``Duo``."""
    today = today or timezone.localdate()
    with transaction.atomic():
        duo = _lock_duo(duo)
        if duo.status != DuoStatus.ACTIVE:
            raise ValidationError(_("This duo is already closed."))
        errors = _closure_errors(
            duo=duo,
            end_date=end_date,
            reason=reason,
            outcome_type=outcome_type,
            contract_type=contract_type,
            outcome_start_date=outcome_start_date,
            contract_months=contract_months,
            note=note,
            today=today,
        )
        if errors:
            raise ValidationError(errors)
        if outcome_type != OutcomeType.JOB:
            contract_type, contract_months = "", None
        duo.status = DuoStatus.CLOSED
        duo.end_date = end_date
        duo.closure_reason = reason
        duo.closure_note = note
        duo.full_clean()
        duo.save()
        outcome = Outcome(
            duo=duo,
            is_primary=True,
            type=outcome_type,
            contract_type=contract_type or "",
            start_date=outcome_start_date,
            contract_months=contract_months,
            employer=employer,
            source=source,
            recorded_on=today,
        )
        outcome.full_clean()
        outcome.save()
    return duo


# --- Workspace writes (mentors, mentees, duo corrections) ---------------------


def _birth_date_against_duos(*, person_field, person):
    """The bounds on ``person``'s birth date from the start dates of their
    duos (cancelled ones aside): 15 at the first, at most 100 at the last."""
    if person.pk is None or person.birth_date is None:
        return {}
    starts = (
        Duo.objects.not_cancelled()
        .filter(**{person_field: person})
        .aggregate(first=Min("start_date"), last=Max("start_date"))
    )
    return bounds.birth_date_against_duos_errors(
        birth_date=person.birth_date, first_start=starts["first"], last_start=starts["last"]
    )


def mentor_save(*, mentor):
    """Create or update a mentor; ``mentor.partner`` is set by the caller from
    the coordinator's partner, never from user input. The field bounds
    (``bounds.validate_birth_date``) and, for a mentor with duos, the age at
    their starts apply."""
    mentor.full_clean()
    errors = _birth_date_against_duos(person_field="mentor", person=mentor)
    if errors:
        raise ValidationError(errors)
    mentor.save()
    return mentor


def mentee_save(*, mentee, has_migration_background=None):
    """Create or update a mentee and, apart from it, its migration background
    (special-category data kept in its own table). ``has_migration_background``
    is ``True``/``False`` to record an answer, ``None`` for "not recorded"
    (an existing record is then removed).

    The job-seeker number has the configured format
    (``bounds.validate_jobseeker_number``) and is unique per partner; a clash,
    including one with a concurrent save, is reported on that field.
    """
    clash_message = _("This partner already has a mentee with this job-seeker number.")
    clash = (
        type(mentee)
        .objects.filter(partner_id=mentee.partner_id, jobseeker_number=mentee.jobseeker_number)
        .exclude(pk=mentee.pk)
        .exists()
    )
    if clash:
        raise ValidationError({"jobseeker_number": [clash_message]})
    mentee.full_clean()
    errors = _birth_date_against_duos(person_field="mentee", person=mentee)
    if errors:
        raise ValidationError(errors)
    is_new = mentee.pk is None
    try:
        with transaction.atomic():
            mentee.save()
            if has_migration_background is None:
                MigrationBackground.objects.filter(mentee=mentee).delete()
            else:
                MigrationBackground.objects.update_or_create(
                    mentee=mentee, defaults={"has_migration_background": has_migration_background}
                )
    except IntegrityError as exc:  # a concurrent save took the number first
        if is_new:
            mentee.pk = None
        raise ValidationError({"jobseeker_number": [clash_message]}) from exc
    return mentee


def duo_update(*, duo, convention, planned_end_date):
    """Correct an active duo's funding convention or planned end. Programme,
    mentor, mentee and start date are fixed once the duo runs (they decided its
    eligibility); a duo entered with wrong ones is cancelled (``duo_cancel``)
    and the right one started. The duo's row is locked and its status re-read,
    so an edit racing a closure is refused rather than re-opening the duo."""
    errors = bounds.date_range_errors(planned_end_date=planned_end_date)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        locked = _lock_duo(duo)
        if locked.status != DuoStatus.ACTIVE:
            raise ValidationError(_("This duo is closed; it can no longer be changed."))
        if planned_end_date <= locked.start_date:
            _add(errors, "planned_end_date", _("The planned end must be after the start date."))
        if convention is not None:
            _merge(
                errors,
                _convention_errors(convention=convention, partner_id=locked.partner_id, start_date=locked.start_date),
            )
        if errors:
            raise ValidationError(errors)
        locked.convention = convention
        locked.planned_end_date = planned_end_date
        locked.full_clean()
        locked.save()
    return locked
