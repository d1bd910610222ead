"""Writes of follow-ups and of a programme's follow-up offsets. Keyword-only
arguments; every rule is checked before anything is written, and broken rules
come back as one ``ValidationError`` keyed by form field, with messages a
coordinator understands. Recording a follow-up never touches the duo's
closure outcome."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.conf import settings
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from duos.models import ContractType, Duo, DuoStatus, OutcomeType
from mentoring.validation import full_clean

from .dates import add_months
from .models import EMPLOYED_SITUATIONS, MAX_FOLLOW_UP_MONTHS, FollowUp, FollowUpOffset

if TYPE_CHECKING:
    from programmes.models import Programme


def _fmt(day: datetime.date) -> str:
    return date_format(day, "SHORT_DATE_FORMAT")


def _add(errors: dict[str, list], field: str, message: str) -> None:
    errors.setdefault(field, []).append(message)


def _situation_errors(*, situation: str, contract_type: str, same_job: bool | None) -> dict[str, list]:
    errors: dict[str, list] = {}
    if situation not in OutcomeType.values:
        _add(errors, "situation", _("Choose the mentee's situation."))
    if situation == OutcomeType.JOB and contract_type not in ContractType.values:
        _add(errors, "contract_type", _("Choose the contract type of the job."))
    return errors


def _normalised(situation: str, contract_type: str, same_job: bool | None) -> tuple[str, bool | None]:
    """Contract type only for a job, "same job" only for work: the rest is dropped."""
    return (
        contract_type if situation == OutcomeType.JOB else "",
        same_job if situation in EMPLOYED_SITUATIONS else None,
    )


def _date_errors(*, duo: Duo, offset_months: int, date: datetime.date, today: datetime.date) -> dict[str, list]:
    errors: dict[str, list] = {}
    due_date = add_months(duo.end_date, offset_months)
    earliest = max(duo.end_date, due_date - datetime.timedelta(days=settings.FOLLOW_UP_EARLY_DAYS))
    if date > today:
        _add(errors, "date", _("A follow-up cannot be in the future."))
    elif date < earliest:
        _add(
            errors,
            "date",
            _("This follow-up is due on %(due)s; it can be recorded from %(earliest)s.")
            % {"due": _fmt(due_date), "earliest": _fmt(earliest)},
        )
    return errors


def follow_up_record(
    *,
    duo: Duo,
    offset_months: int,
    date: datetime.date,
    situation: str,
    contract_type: str = "",
    same_job: bool | None = None,
    source: str,
    note: str = "",
    user: User | None = None,
    today: datetime.date | None = None,
) -> FollowUp:
    """Record the mentee's situation ``offset_months`` after ``duo`` closed.

    Rules: the duo is closed; ``offset_months`` is one of its programme's
    follow-ups (``FollowUpOffset``) and not recorded yet; the date is not in
    the future and not earlier than ``FOLLOW_UP_EARLY_DAYS`` before the
    follow-up is due (nor before the closure); a salaried job has a contract
    type. The duo's row is locked, so a reopening or a second click at the
    same moment cannot slip in. Returns the ``FollowUp``; raises
    ``ValidationError`` with nothing written."""
    today = today or timezone.localdate()
    with transaction.atomic():
        duo = Duo.objects.select_for_update().select_related("programme").get(pk=duo.pk)
        if duo.status != DuoStatus.CLOSED or duo.end_date is None:
            raise ValidationError(_("Follow-ups are recorded once the duo is closed."))
        offered = FollowUpOffset.objects.filter(programme_id=duo.programme_id, months=offset_months).exists()
        if not offered:
            raise ValidationError(
                {"offset_months": [_("%(programme)s has no follow-up at this time.") % {"programme": duo.programme}]}
            )
        if FollowUp.objects.filter(duo=duo, offset_months=offset_months).exists():
            raise ValidationError({"offset_months": [_("This follow-up is already recorded.")]})
        errors = _date_errors(duo=duo, offset_months=offset_months, date=date, today=today)
        errors.update(_situation_errors(situation=situation, contract_type=contract_type, same_job=same_job))
        if errors:
            raise ValidationError(errors)
        contract_type, same_job = _normalised(situation, contract_type, same_job)
        follow_up = FollowUp(
            duo=duo,
            offset_months=offset_months,
            date=date,
            situation=situation,
            contract_type=contract_type,
            same_job=same_job,
            source=source,
            note=note,
            recorded_by=user,
        )
        full_clean(follow_up, known=("duo",))  # the duo's row is locked above
        try:
            with transaction.atomic():
                follow_up.save()
        except IntegrityError as exc:  # recorded by someone else in the meantime
            raise ValidationError({"offset_months": [_("This follow-up is already recorded.")]}) from exc
    return follow_up


def follow_up_update(
    *,
    follow_up: FollowUp,
    date: datetime.date,
    situation: str,
    contract_type: str = "",
    same_job: bool | None = None,
    source: str,
    note: str = "",
    today: datetime.date | None = None,
) -> FollowUp:
    """Correct a recorded follow-up (its offset and duo stay); the same date
    and situation rules as ``follow_up_record`` apply. The change is kept in
    the follow-up's history."""
    today = today or timezone.localdate()
    with transaction.atomic():
        duo = Duo.objects.select_for_update().get(pk=follow_up.duo_id)
        if duo.status != DuoStatus.CLOSED or duo.end_date is None:
            raise ValidationError(_("Follow-ups are recorded once the duo is closed."))
        errors = _date_errors(duo=duo, offset_months=follow_up.offset_months, date=date, today=today)
        errors.update(_situation_errors(situation=situation, contract_type=contract_type, same_job=same_job))
        if errors:
            raise ValidationError(errors)
        contract_type, same_job = _normalised(situation, contract_type, same_job)
        follow_up.date = date
        follow_up.situation = situation
        follow_up.contract_type = contract_type
        follow_up.same_job = same_job
        follow_up.source = source
        follow_up.note = note
        full_clean(follow_up, known=("duo",))  # the duo's row is locked above
        follow_up.save()
    return follow_up


def programme_follow_up_months_set(*, programme: Programme, months: Iterable[int]) -> list[int]:
    """Make ``months`` (integers from 1 to ``MAX_FOLLOW_UP_MONTHS``) the
    programme's follow-ups. Follow-ups already recorded stay; a duo closed
    earlier now falls due at the new offsets (they are derived, not stored)."""
    months = sorted(set(months))
    if any(not 1 <= value <= MAX_FOLLOW_UP_MONTHS for value in months):
        raise ValidationError(
            {
                "follow_up_months": [
                    _("Each follow-up is between 1 and %(max)s months after closure.") % {"max": MAX_FOLLOW_UP_MONTHS}
                ]
            }
        )
    with transaction.atomic():
        FollowUpOffset.objects.filter(programme=programme).exclude(months__in=months).delete()
        existing = set(FollowUpOffset.objects.filter(programme=programme).values_list("months", flat=True))
        for value in months:
            if value not in existing:  # one by one, so that the history records each
                FollowUpOffset.objects.create(programme=programme, months=value)
    return months
