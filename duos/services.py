"""Writes that carry business rules. Each function takes keyword-only
arguments, validates every rule it knows about, and raises one
``ValidationError`` (keyed by form field where there is one) with messages a
coordinator understands; nothing is written when a rule is broken."""

from dateutil.relativedelta import relativedelta
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from programmes.models import MeetingPlaceRule

from .models import (
    ContractType,
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


def age_on(birth_date, day):
    """Age in whole years on ``day``."""
    return day.year - birth_date.year - ((day.month, day.day) < (birth_date.month, birth_date.day))


def planned_end_for(programme, start_date):
    """The planned end of a duo of ``programme`` starting on ``start_date``."""
    return start_date + relativedelta(months=programme.duration_months)


def _fmt(day):
    return date_format(day, "SHORT_DATE_FORMAT")


def _add(errors, field, message):
    errors.setdefault(field, []).append(message)


def duo_eligibility_errors(*, programme, mentor, mentee, start_date, convention=None):
    """Every programme rule the proposed duo breaks, as ``{field: [messages]}``."""
    errors = {}
    if not programme.is_active:
        _add(errors, "programme", _("This programme no longer takes new duos."))
    if mentor.partner_id != programme.partner_id:
        _add(errors, "mentor", _("This mentor belongs to another partner than the programme."))
    if mentee.partner_id != programme.partner_id:
        _add(errors, "mentee", _("This mentee belongs to another partner than the programme."))

    mentee_age = age_on(mentee.birth_date, start_date)
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
    if programme.mentor_min_age is not None and mentor_age < programme.mentor_min_age:
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
    active_for_mentor = Duo.objects.filter(mentor=mentor, status=DuoStatus.ACTIVE).count()
    if active_for_mentor >= programme.max_active_duos_per_mentor:
        _add(
            errors,
            "mentor",
            ngettext(
                "This mentor already runs %(count)d active duo, the most %(programme)s allows.",
                "This mentor already runs %(count)d active duos, the most %(programme)s allows.",
                active_for_mentor,
            )
            % {"count": active_for_mentor, "programme": programme.name},
        )

    if convention is not None:
        if not (convention.period_start <= start_date <= convention.period_end):
            _add(
                errors,
                "convention",
                _("The start date is outside the convention's period (%(start)s to %(end)s).")
                % {"start": _fmt(convention.period_start), "end": _fmt(convention.period_end)},
            )
        shares = list(convention.shares.values_list("partner_id", flat=True))
        if shares and programme.partner_id not in shares:
            _add(errors, "convention", _("This convention does not fund this partner."))
    return errors


def duo_create(*, programme, mentor, mentee, start_date, convention=None):
    """Start a duo after checking the programme's eligibility rules and that
    neither the mentee nor the mentor is over-committed."""
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


def _meeting_errors(*, duo, date, place, status, today, meeting=None):
    errors = {}
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
    return errors


def meeting_log(*, duo, date, duration_minutes, place, status=MeetingStatus.HELD, note="", today=None):
    """Record a meeting of an active duo: not before it started, not in the future."""
    today = today or timezone.localdate()
    errors = _meeting_errors(duo=duo, date=date, place=place, status=status, today=today)
    if errors:
        raise ValidationError(errors)
    meeting = Meeting(duo=duo, date=date, duration_minutes=duration_minutes, place=place, status=status, note=note)
    meeting.full_clean()
    meeting.save()
    return meeting


def meeting_update(*, meeting, date, duration_minutes, place, status, note="", today=None):
    """Correct a recorded meeting; the same date rules as ``meeting_log`` apply."""
    today = today or timezone.localdate()
    errors = _meeting_errors(duo=meeting.duo, date=date, place=place, status=status, today=today, meeting=meeting)
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
    """Close an active duo with its closure reason and primary outcome."""
    today = today or timezone.localdate()
    errors = {}
    if duo.status != DuoStatus.ACTIVE:
        raise ValidationError(_("This duo is already closed."))
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
    if outcome_type == OutcomeType.JOB:
        if not contract_type:
            _add(errors, "contract_type", _("Choose the contract type of the job."))
        elif contract_type != ContractType.CDI and not contract_months:
            _add(errors, "contract_months", _("Give the contract length in months (only a CDI has none)."))
    else:
        contract_type = ""
        contract_months = None
    if contract_months is not None and contract_months < 1:
        _add(errors, "contract_months", _("The contract length is at least one month."))
    if errors:
        raise ValidationError(errors)

    with transaction.atomic():
        duo = Duo.objects.select_for_update().get(pk=duo.pk)
        if duo.status != DuoStatus.ACTIVE:
            raise ValidationError(_("This duo is already closed."))
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


def mentor_save(*, mentor):
    """Create or update a mentor; ``mentor.partner`` is set by the caller from
    the coordinator's partner, never from user input."""
    mentor.full_clean()
    mentor.save()
    return mentor


def mentee_save(*, mentee, has_migration_background=None):
    """Create or update a mentee and, apart from it, its migration background
    (special-category data kept in its own table). ``has_migration_background``
    is ``True``/``False`` to record an answer, ``None`` for "not recorded"
    (an existing record is then removed).

    The job-seeker number is unique per partner; a clash is reported on that field.
    """
    clash = (
        type(mentee)
        .objects.filter(partner_id=mentee.partner_id, jobseeker_number=mentee.jobseeker_number)
        .exclude(pk=mentee.pk)
        .exists()
    )
    if clash:
        raise ValidationError(
            {"jobseeker_number": [_("This partner already has a mentee with this job-seeker number.")]}
        )
    mentee.full_clean()
    with transaction.atomic():
        mentee.save()
        if has_migration_background is None:
            MigrationBackground.objects.filter(mentee=mentee).delete()
        else:
            MigrationBackground.objects.update_or_create(
                mentee=mentee, defaults={"has_migration_background": has_migration_background}
            )
    return mentee


def duo_update(*, duo, convention, planned_end_date):
    """Correct an active duo's funding convention or planned end. Programme,
    mentor, mentee and start date are fixed once the duo runs (they decided its
    eligibility); close the duo and start another to change them."""
    errors = {}
    if duo.status != DuoStatus.ACTIVE:
        raise ValidationError(_("This duo is closed; it can no longer be changed."))
    if planned_end_date <= duo.start_date:
        _add(errors, "planned_end_date", _("The planned end must be after the start date."))
    if convention is not None:
        if not (convention.period_start <= duo.start_date <= convention.period_end):
            _add(
                errors,
                "convention",
                _("The start date is outside the convention's period (%(start)s to %(end)s).")
                % {"start": _fmt(convention.period_start), "end": _fmt(convention.period_end)},
            )
        shares = list(convention.shares.values_list("partner_id", flat=True))
        if shares and duo.partner_id not in shares:
            _add(errors, "convention", _("This convention does not fund this partner."))
    if errors:
        raise ValidationError(errors)
    duo.convention = convention
    duo.planned_end_date = planned_end_date
    duo.full_clean()
    duo.save()
    return duo
