"""Corrections of a duo after the fact, each with a reason: correct a closed
duo's closure, reopen a duo closed by mistake, cancel a duo entered by mistake.

Each correction needs the coordinator's reason (``bounds.correction_reason_errors``).
It is kept twice: as ``history_change_reason`` of every historical row the
correction writes (the duo's, and the outcome's when it changes), which the
duo's history shows, and in a ``DuoCorrection`` row (kind, reason, who, when).
Before, the only way out of a wrong closure was to start another duo, which
put the mistake into every rate.
"""

import datetime

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .. import bounds
from ..models import (
    CorrectionKind,
    Duo,
    DuoCorrection,
    DuoStatus,
    Mentor,
    Outcome,
    OutcomeSource,
    OutcomeType,
)
from .common import add, check_unchanged, fmt, lock_duo, merge
from .lifecycle import closure_errors, mentor_capacity_errors


def _log(*, duo: Duo, kind: str, reason: str, user: User | None) -> DuoCorrection:
    return DuoCorrection.objects.create(
        duo=duo, kind=kind, reason=reason.strip(), made_by=user if getattr(user, "pk", None) else None
    )


def _closure_as_recorded(duo: Duo, outcome: Outcome | None) -> tuple:
    outcome_fields = (
        (
            outcome.type,
            outcome.contract_type,
            outcome.start_date,
            outcome.contract_months,
            outcome.employer,
            outcome.source,
        )
        if outcome is not None
        else None
    )
    return (duo.end_date, duo.closure_reason, duo.closure_note, outcome_fields)


def duo_closure_correct(
    *,
    duo: Duo,
    end_date: datetime.date,
    reason: str,
    outcome_type: str,
    correction_reason: str,
    contract_type: str = "",
    outcome_start_date: datetime.date | None = None,
    contract_months: int | None = None,
    employer: str = "",
    source: str = OutcomeSource.MENTEE,
    note: str = "",
    user: User | None = None,
    opened_version: datetime.datetime | None = None,
    today: datetime.date | None = None,
) -> Duo:
    """Correct the closure of a closed duo: its date, reason, note and primary
    outcome, under the same rules as ``duo_close`` (``lifecycle.closure_errors``),
    with ``correction_reason``. ``opened_version`` refuses a correction over a
    newer one; a correction that changes nothing is refused. Returns the duo."""
    today = today or timezone.localdate()
    with transaction.atomic():
        duo = lock_duo(duo)
        if duo.status != DuoStatus.CLOSED:
            raise ValidationError(_("Only a closed duo's closure can be corrected."))
        check_unchanged(duo, opened_version)
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
        merge(errors, bounds.correction_reason_errors(correction_reason))
        if errors:
            raise ValidationError(errors)
        if outcome_type != OutcomeType.JOB:
            contract_type, contract_months = "", None
        outcome = Outcome.objects.select_for_update().filter(duo=duo, is_primary=True).first()
        before = _closure_as_recorded(duo, outcome)
        if outcome is None:  # a duo closed before outcomes were required
            outcome = Outcome(duo=duo, is_primary=True, recorded_on=today)
        duo.end_date = end_date
        duo.closure_reason = reason
        duo.closure_note = note
        outcome.type = outcome_type
        outcome.contract_type = contract_type or ""
        outcome.start_date = outcome_start_date
        outcome.contract_months = contract_months
        outcome.employer = employer
        outcome.source = source
        if _closure_as_recorded(duo, outcome) == before:
            raise ValidationError(_("Nothing to correct: this is the closure as recorded."))
        duo.full_clean()
        outcome.full_clean()
        duo._change_reason = correction_reason.strip()  # type: ignore[attr-defined]  # simple-history reads it
        duo.save()
        outcome._change_reason = correction_reason.strip()  # type: ignore[attr-defined]  # simple-history reads it
        outcome.save()
        _log(duo=duo, kind=CorrectionKind.CLOSURE_CORRECTED, reason=correction_reason, user=user)
    return duo


def duo_reopen(*, duo: Duo, correction_reason: str, user: User | None = None) -> Duo:
    """Reopen a duo closed by mistake, with ``correction_reason``: it becomes
    active again, without end date, closure reason or outcome (its primary
    outcome is deleted; the history keeps it). Refused when the mentee has
    started another duo since (one active duo per mentee, a concurrent start
    included) or the mentor runs as many duos as the programme allows.
    Returns the duo."""
    with transaction.atomic():
        # The mentor first, as duo_create does, so that the two never wait on
        # each other in opposite orders.
        Mentor.objects.select_for_update().filter(pk=duo.mentor_id).first()
        duo = lock_duo(duo)
        if duo.status != DuoStatus.CLOSED:
            raise ValidationError(_("Only a closed duo can be reopened."))
        errors = bounds.correction_reason_errors(correction_reason)
        other = Duo.objects.filter(mentee_id=duo.mentee_id, status=DuoStatus.ACTIVE).exclude(pk=duo.pk).first()
        if other is not None:
            add(errors, "__all__", _other_active_duo_message(other))
        for messages in mentor_capacity_errors(programme=duo.programme, mentor=duo.mentor, exclude_duo=duo).values():
            errors.setdefault("__all__", []).extend(messages)
        if errors:
            raise ValidationError(errors)
        reason = correction_reason.strip()
        # The outcome goes first: no active duo has a primary outcome (a
        # database rule, duos.database_rules).
        for outcome in Outcome.objects.select_for_update().filter(duo=duo, is_primary=True):
            outcome._change_reason = reason  # type: ignore[attr-defined]  # simple-history reads it
            outcome.delete()
        duo.status = DuoStatus.ACTIVE
        duo.end_date = None
        duo.closure_reason = ""
        duo.closure_note = ""
        duo.full_clean()
        duo._change_reason = reason  # type: ignore[attr-defined]  # simple-history reads it
        try:
            with transaction.atomic():
                duo.save()
        except IntegrityError as exc:  # another duo of the mentee started meanwhile
            raise ValidationError(
                _("This mentee already has an active duo; close it before starting another.")
            ) from exc
        _log(duo=duo, kind=CorrectionKind.REOPENED, reason=reason, user=user)
    return duo


def _other_active_duo_message(other: Duo) -> str:
    return _(
        "The mentee has started another duo since (%(duo)s, from %(start)s); a mentee has one active duo at a time. "
        "Close or cancel that one first."
    ) % {"duo": other, "start": fmt(other.start_date)}


def duo_cancel(*, duo: Duo, correction_reason: str, user: User | None = None) -> Duo:
    """Cancel a duo entered by mistake (active or closed), with
    ``correction_reason``. It keeps its dates, meetings and outcome in the
    records and the history, and is in no figure (``Duo.objects.not_cancelled``);
    its meetings become read-only. Returns the duo."""
    with transaction.atomic():
        duo = lock_duo(duo)
        if duo.status == DuoStatus.CANCELLED:
            raise ValidationError(_("This duo is already cancelled."))
        errors = bounds.correction_reason_errors(correction_reason)
        if errors:
            raise ValidationError(errors)
        duo.status = DuoStatus.CANCELLED
        duo._change_reason = correction_reason.strip()  # type: ignore[attr-defined]  # simple-history reads it
        duo.save(update_fields=["status", "updated_at"])
        _log(duo=duo, kind=CorrectionKind.CANCELLED, reason=correction_reason, user=user)
    return duo
