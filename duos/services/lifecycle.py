"""A duo's life: start, edit, close."""

import datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from mentoring.validation import full_clean
from programmes.models import FundingConvention, Programme

from .. import bounds
from ..bounds import age_on
from ..models import Duo, DuoStatus, Mentee, Mentor, MigrationBackground, Outcome, OutcomeSource, OutcomeType
from .common import LOCKED_DUO_RELATIONS, Errors, add, check_unchanged, fmt, lock_duo, merge, planned_end_for


def duo_eligibility_errors(
    *,
    programme: Programme,
    mentor: Mentor,
    mentee: Mentee,
    start_date: datetime.date,
    convention: FundingConvention | None = None,
) -> Errors:
    """Every programme rule the proposed duo breaks, as ``{field: [messages]}``:
    the ages every duo respects (``bounds.age_at_start_errors``), then the
    programme's own rules (data of ``Programme``), the people's other duos and
    the convention. ``start_date`` is inside the allowed date range."""
    errors: dict[str, list] = {}
    if not programme.is_active:
        add(errors, "programme", _("This programme no longer takes new duos."))
    merge(errors, mentor_eligibility_errors(programme=programme, mentor=mentor, start_date=start_date))
    merge(errors, mentee_eligibility_errors(programme=programme, mentee=mentee, start_date=start_date))
    merge(errors, mentor_capacity_errors(programme=programme, mentor=mentor))
    if convention is not None:
        merge(errors, _convention_errors(convention=convention, partner_id=programme.partner_id, start_date=start_date))
    return errors


def mentor_eligibility_errors(*, programme: Programme, mentor: Mentor, start_date: datetime.date) -> Errors:
    """``{"mentor": [messages]}``: the mentor's partner and age on ``start_date``
    against the general bounds and ``programme``'s minimum. No query (the
    capacity is ``mentor_capacity_errors``)."""
    errors: Errors = {}
    if mentor.partner_id != programme.partner_id:
        add(errors, "mentor", _("This mentor belongs to another partner than the programme."))
    general_ages = bounds.age_at_start_errors(mentor_birth_date=mentor.birth_date, start_date=start_date)
    merge(errors, general_ages)
    mentor_age = age_on(mentor.birth_date, start_date)
    if "mentor" not in general_ages and programme.mentor_min_age is not None and mentor_age < programme.mentor_min_age:
        add(
            errors,
            "mentor",
            _("The mentor is %(age)s on the start date; %(programme)s takes mentors from %(min)s.")
            % {"age": mentor_age, "programme": programme.name, "min": programme.mentor_min_age},
        )
    return errors


def mentee_eligibility_errors(*, programme: Programme, mentee: Mentee, start_date: datetime.date) -> Errors:
    """``{"mentee": [messages]}``: the mentee's partner, age on ``start_date``
    (general bounds, ``programme``'s), migration background when the programme
    requires one, and no other active duo. Two queries at most."""
    errors: Errors = {}
    if mentee.partner_id != programme.partner_id:
        add(errors, "mentee", _("This mentee belongs to another partner than the programme."))
    general_ages = bounds.age_at_start_errors(mentee_birth_date=mentee.birth_date, start_date=start_date)
    merge(errors, general_ages)
    mentee_age = age_on(mentee.birth_date, start_date)
    if "mentee" not in general_ages:
        if programme.mentee_min_age is not None and mentee_age < programme.mentee_min_age:
            add(
                errors,
                "mentee",
                _("The mentee is %(age)s on the start date; %(programme)s takes mentees from %(min)s.")
                % {"age": mentee_age, "programme": programme.name, "min": programme.mentee_min_age},
            )
        if programme.mentee_max_age is not None and mentee_age > programme.mentee_max_age:
            add(
                errors,
                "mentee",
                _("The mentee is %(age)s on the start date; %(programme)s takes mentees up to %(max)s.")
                % {"age": mentee_age, "programme": programme.name, "max": programme.mentee_max_age},
            )
    if programme.migration_background_required:
        has_background = MigrationBackground.objects.filter(mentee=mentee, has_migration_background=True).exists()
        if not has_background:
            add(
                errors,
                "mentee",
                _("%(programme)s is for mentees with a migration background, and none is recorded for this mentee.")
                % {"programme": programme.name},
            )
    if Duo.objects.filter(mentee=mentee, status=DuoStatus.ACTIVE).exists():
        add(errors, "mentee", _("This mentee already has an active duo; close it before starting another."))
    return errors


def mentor_capacity_errors(*, programme: Programme, mentor: Mentor, exclude_duo: Duo | None = None) -> Errors:
    """``{"mentor": [message]}`` when ``mentor`` already runs as many active
    duos as ``programme`` allows (``exclude_duo`` aside)."""
    mentors_duos = Duo.objects.filter(mentor=mentor, status=DuoStatus.ACTIVE)
    if exclude_duo is not None:
        mentors_duos = mentors_duos.exclude(pk=exclude_duo.pk)
    active_for_mentor = mentors_duos.count()
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


def _convention_errors(*, convention: FundingConvention, partner_id: int, start_date: datetime.date) -> Errors:
    errors: dict[str, list] = {}
    if not (convention.period_start <= start_date <= convention.period_end):
        add(
            errors,
            "convention",
            _("The start date is outside the convention's period (%(start)s to %(end)s).")
            % {"start": fmt(convention.period_start), "end": fmt(convention.period_end)},
        )
    shares = list(convention.shares.values_list("partner_id", flat=True))
    if shares and partner_id not in shares:
        add(errors, "convention", _("This convention does not fund this partner."))
    return errors


def duo_create(
    *,
    programme: Programme,
    mentor: Mentor,
    mentee: Mentee,
    start_date: datetime.date,
    convention: FundingConvention | None = None,
    today: datetime.date | None = None,
    reference: str = "",
) -> Duo:
    """Start a duo after checking its start date (inside the allowed range, at
    most ``DUO_START_MAX_DAYS_AHEAD`` days ahead: ``bounds.duo_start_errors``),
    the ages, the programme's eligibility rules, and that neither the mentee
    nor the mentor is over-committed. ``reference`` is the partner's own (the
    import, the API; unique per partner). Returns the saved ``Duo``; raises
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
            reference=reference,
        )
        full_clean(duo, known=("partner",))  # the programme's partner
        try:
            with transaction.atomic():
                duo.save()
        except IntegrityError as exc:  # a concurrent request won the race
            raise ValidationError(
                {"mentee": [_("This mentee already has an active duo; close it before starting another.")]}
            ) from exc
    return duo


def closure_errors(
    *,
    duo: Duo,
    end_date: datetime.date,
    reason: str,
    outcome_type: str,
    contract_type: str,
    outcome_start_date: datetime.date | None,
    contract_months: int | None,
    note: str,
    today: datetime.date,
) -> Errors:
    """Every rule a closure (or a corrected closure: ``corrections``) of
    ``duo`` breaks, as ``{field: [messages]}`` keyed by the closure form's
    fields: the dates (allowed range, not before the start, not in the future,
    not before the last meeting), a reason and an outcome, the closure and
    outcome bounds of ``bounds``."""
    errors = bounds.date_range_errors(end_date=end_date, outcome_start_date=outcome_start_date)
    if errors:
        return errors
    merge(errors, bounds.field_errors("note", bounds.validate_note_length, note))
    if end_date < duo.start_date:
        add(
            errors,
            "end_date",
            _("The end date cannot be before the duo started (%(start)s).") % {"start": fmt(duo.start_date)},
        )
    if end_date > today:
        add(errors, "end_date", _("The end date cannot be in the future."))
    last_meeting = duo.meetings.order_by("-date").values_list("date", flat=True).first()
    if last_meeting and end_date < last_meeting:
        add(
            errors,
            "end_date",
            _("A meeting is recorded on %(date)s, after this end date.") % {"date": fmt(last_meeting)},
        )
    if not reason:
        add(errors, "reason", _("Say why the duo ends."))
    if not outcome_type:
        add(errors, "outcome_type", _("Choose the outcome."))
    if reason:
        merge(
            errors,
            bounds.closure_errors(
                reason=reason,
                end_date=end_date,
                planned_end_date=duo.planned_end_date,
                tolerance_days=duo.programme.completion_tolerance_days,
                outcome_type=outcome_type,
            ),
        )
    merge(
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
    duo: Duo,
    end_date: datetime.date,
    reason: str,
    outcome_type: str,
    contract_type: str = "",
    outcome_start_date: datetime.date | None = None,
    contract_months: int | None = None,
    employer: str = "",
    source: str = OutcomeSource.MENTEE,
    note: str = "",
    today: datetime.date | None = None,
) -> Duo:
    """Close an active duo with its closure reason and primary outcome.

    The duo's row is locked and its state re-read first; then the closure's
    bounds apply (``closure_errors``: dates, "completed" within the
    programme's tolerance of the planned end, "found a job" with a positive
    outcome, contract length, job start). Returns the closed ``Duo``."""
    today = today or timezone.localdate()
    with transaction.atomic():
        duo = lock_duo(duo)
        if duo.status != DuoStatus.ACTIVE:
            raise ValidationError(_("This duo is already closed."))
        errors = closure_errors(
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
        full_clean(duo, known=LOCKED_DUO_RELATIONS)
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
        full_clean(outcome, known=("duo",))
        try:
            with transaction.atomic():
                outcome.save()
        except IntegrityError as exc:  # one primary outcome per duo: cannot happen under the lock
            raise ValidationError(_("This duo is already closed.")) from exc
    return duo


def duo_update(
    *,
    duo: Duo,
    convention: FundingConvention | None,
    planned_end_date: datetime.date,
    opened_version: datetime.datetime | None = None,
) -> Duo:
    """Correct an active duo's funding convention or planned end. Programme,
    mentor, mentee and start date are fixed once the duo runs (they decided its
    eligibility); a duo entered with wrong ones is cancelled (``duo_cancel``)
    and the right one started. The duo's row is locked and its status re-read,
    so an edit racing a closure is refused rather than re-opening the duo;
    ``opened_version`` refuses an edit over a newer one. Returns the duo as
    saved."""
    errors = bounds.date_range_errors(planned_end_date=planned_end_date)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        locked = lock_duo(duo)
        if locked.status != DuoStatus.ACTIVE:
            raise ValidationError(_("This duo is closed; it can no longer be changed."))
        check_unchanged(locked, opened_version)
        if planned_end_date <= locked.start_date:
            add(errors, "planned_end_date", _("The planned end must be after the start date."))
        if convention is not None:
            merge(
                errors,
                _convention_errors(convention=convention, partner_id=locked.partner_id, start_date=locked.start_date),
            )
        if errors:
            raise ValidationError(errors)
        locked.convention = convention
        locked.planned_end_date = planned_end_date
        full_clean(locked, known=LOCKED_DUO_RELATIONS[:-1])  # the convention is the caller's
        locked.save(update_fields=["convention", "planned_end_date", "updated_at"])
    return locked
