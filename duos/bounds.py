"""Bounds on what a record of people, duos, meetings and outcomes may say.

Every bound is defined here once. Per-field bounds are validators, attached to
the model fields (so ``full_clean()``, the admin and every ``ModelForm`` run
them) and to the workspace's plain forms; bounds that compare several values
(an age at a duo's start, a job start against the closure, a closure reason
against the outcome) are functions returning ``{field: [messages]}`` that the
services of ``duos.services`` call before they write anything. Messages say
what is expected, in the coordinator's language.

- any record date (start, end, meeting, job start...): from
  ``settings.DATES_ALLOWED_FROM`` to ``DATES_ALLOWED_TO`` (``mentoring.bounds``);
- birth date: not in the future; aged ``MIN_AGE`` (15) to ``MAX_AGE`` (100) at
  the duo's start (programmes add their own age rules);
- a duo's start date: at most ``settings.DUO_START_MAX_DAYS_AHEAD`` (31) days
  ahead; a later one is refused;
- meeting duration: ``MEETING_MIN_MINUTES`` (1) to ``MEETING_MAX_MINUTES`` (480);
- contract length: ``CONTRACT_MIN_MONTHS`` (1) to ``CONTRACT_MAX_MONTHS`` (60),
  none for a CDI;
- the job's start date: from ``JOB_START_MONTHS_BEFORE_START`` (1) month before
  the duo's start to ``JOB_START_MONTHS_AFTER_CLOSURE`` (12) months after its
  closure;
- "completed the planned term": closure within the programme's
  ``completion_tolerance_days`` (programme data, default 14) of the planned end;
- "ended early: found a job or training": only with an outcome of
  ``POSITIVE_OUTCOME_TYPES`` (the positive outcomes of docs/design.md);
- notes: at most ``NOTE_MAX_LENGTH`` (2,000) characters; the reason of a
  correction at most ``CORRECTION_REASON_MAX_LENGTH`` (500), never empty;
- the job-seeker number: ``settings.JOBSEEKER_NUMBER_PATTERN`` (default 5 to 12
  digits), described by ``settings.JOBSEEKER_NUMBER_FORMAT``.
"""

import datetime
import re

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.formats import date_format, number_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from mentoring.bounds import allowed_date_range, date_out_of_range_message, validate_date_in_allowed_range

MIN_AGE = 15  # a mentor or mentee, on the duo's start date (both included)
MAX_AGE = 100
MEETING_MIN_MINUTES = 1
MEETING_MAX_MINUTES = 480  # a working day
CONTRACT_MIN_MONTHS = 1
CONTRACT_MAX_MONTHS = 60
JOB_START_MONTHS_BEFORE_START = 1
JOB_START_MONTHS_AFTER_CLOSURE = 12
NOTE_MAX_LENGTH = 2000
CORRECTION_REASON_MAX_LENGTH = 500
DEFAULT_JOBSEEKER_NUMBER_PATTERN = r"[0-9]{5,12}"


def _fmt(day):
    return date_format(day, "SHORT_DATE_FORMAT")


def _add(errors, field, message):
    errors.setdefault(field, []).append(message)


# --- dates ---------------------------------------------------------------------


def validate_record_date(value):
    """Validator of every date of a record but birth dates: inside the allowed
    range shared with the figures' periods (``mentoring.bounds``). Checked
    before any date arithmetic, which overflows near year 9999."""
    validate_date_in_allowed_range(value)


def field_errors(field, validator, value):
    """``{field: [messages]}`` from running one of this module's validators on
    ``value`` (``{}`` when it passes): for services whose arguments are not a
    model's fields."""
    try:
        validator(value)
    except ValidationError as exc:
        return {field: exc.messages}
    return {}


def date_range_errors(**dates):
    """``{field: [message]}`` for each of ``dates`` (``field=date``, ``None``
    skipped) outside the allowed range."""
    errors = {}
    for field, value in dates.items():
        message = date_out_of_range_message(value) if value is not None else None
        if message:
            _add(errors, field, message)
    return errors


def birth_date_bounds(today=None):
    """``(earliest, latest)`` birth date of anyone who can be aged ``MIN_AGE`` to
    ``MAX_AGE`` at the start of a duo: born at most ``MAX_AGE`` years before the
    first allowed date, at least ``MIN_AGE`` years before ``today``."""
    today = today or timezone.localdate()
    first_allowed, _last = allowed_date_range()
    return first_allowed - relativedelta(years=MAX_AGE + 1) + datetime.timedelta(days=1), today - relativedelta(
        years=MIN_AGE
    )


def validate_birth_date(value):
    """Validator of a mentor's or mentee's birth date: not in the future, and
    within ``birth_date_bounds()``. The age at a duo's actual start is checked
    by ``age_at_start_errors``."""
    if value is None:
        return
    today = timezone.localdate()
    if value > today:
        raise ValidationError(_("A birth date cannot be in the future."), code="birth_date_future")
    earliest, latest = birth_date_bounds(today)
    if not earliest <= value <= latest:
        raise ValidationError(
            _(
                "Enter a birth date from %(first)s to %(last)s: mentors and mentees are %(min)s to %(max)s "
                "years old when their duo starts."
            )
            % {"first": _fmt(earliest), "last": _fmt(latest), "min": MIN_AGE, "max": MAX_AGE},
            code="birth_date_out_of_range",
        )


def age_on(birth_date, day):
    """Age in whole years on ``day`` (the birthday counts on the day)."""
    return day.year - birth_date.year - ((day.month, day.day) < (birth_date.month, birth_date.day))


def age_at_start_errors(*, mentor_birth_date=None, mentee_birth_date=None, start_date):
    """``{"mentor"|"mentee": [message]}`` when a person is not aged ``MIN_AGE``
    to ``MAX_AGE`` on ``start_date`` (the programme's own age rules come on top)."""
    errors = {}
    people = (
        ("mentor", mentor_birth_date, _("The mentor is %(age)s on the start date; mentors are %(min)s to %(max)s.")),
        ("mentee", mentee_birth_date, _("The mentee is %(age)s on the start date; mentees are %(min)s to %(max)s.")),
    )
    for field, birth_date, message in people:
        if birth_date is None:
            continue
        age = age_on(birth_date, start_date)
        if not MIN_AGE <= age <= MAX_AGE:
            _add(errors, field, message % {"age": age, "min": MIN_AGE, "max": MAX_AGE})
    return errors


def birth_date_against_duos_errors(*, birth_date, first_start, last_start):
    """``{"birth_date": [message]}`` when a person's new ``birth_date`` would make
    them younger than ``MIN_AGE`` at their first duo's start or older than
    ``MAX_AGE`` at their last one (``None`` starts: no duo, nothing to check)."""
    errors = {}
    if first_start is not None and age_on(birth_date, first_start) < MIN_AGE:
        _add(
            errors,
            "birth_date",
            _(
                "With this birth date the person is %(age)s at the start of their duo of %(date)s; "
                "the minimum is %(min)s."
            )
            % {"age": age_on(birth_date, first_start), "date": _fmt(first_start), "min": MIN_AGE},
        )
    if last_start is not None and age_on(birth_date, last_start) > MAX_AGE:
        _add(
            errors,
            "birth_date",
            _(
                "With this birth date the person is %(age)s at the start of their duo of %(date)s; "
                "the maximum is %(max)s."
            )
            % {"age": age_on(birth_date, last_start), "date": _fmt(last_start), "max": MAX_AGE},
        )
    return errors


def duo_start_max_days_ahead():
    """How many days ahead a duo may start (``settings.DUO_START_MAX_DAYS_AHEAD``)."""
    return settings.DUO_START_MAX_DAYS_AHEAD


def latest_duo_start(today=None):
    """The latest start date a duo recorded ``today`` may have."""
    return (today or timezone.localdate()) + datetime.timedelta(days=duo_start_max_days_ahead())


def duo_start_errors(*, start_date, today=None):
    """``{"start_date": [message]}`` for a start date outside the allowed range or
    more than ``DUO_START_MAX_DAYS_AHEAD`` days ahead: such a duo is refused, not
    recorded as planned (a duo that starts later is entered when it is near)."""
    errors = date_range_errors(start_date=start_date)
    if errors:
        return errors
    latest = latest_duo_start(today)
    if start_date > latest:
        days = duo_start_max_days_ahead()
        _add(
            errors,
            "start_date",
            ngettext(
                "A duo is recorded at most %(days)d day before it starts: choose a start date up to %(last)s.",
                "A duo is recorded at most %(days)d days before it starts: choose a start date up to %(last)s.",
                days,
            )
            % {"days": days, "last": _fmt(latest)},
        )
    return errors


# --- meetings --------------------------------------------------------------------


def validate_meeting_duration(value):
    """Validator: a meeting lasts ``MEETING_MIN_MINUTES`` to ``MEETING_MAX_MINUTES``."""
    if value is None:
        return
    if not MEETING_MIN_MINUTES <= value <= MEETING_MAX_MINUTES:
        raise ValidationError(
            _("A meeting lasts from %(min)s to %(max)s minutes (8 hours).")
            % {"min": MEETING_MIN_MINUTES, "max": MEETING_MAX_MINUTES},
            code="meeting_duration",
        )


# --- outcomes ----------------------------------------------------------------------


def validate_contract_months(value):
    """Validator: a contract lasts ``CONTRACT_MIN_MONTHS`` to ``CONTRACT_MAX_MONTHS``."""
    if value is None:
        return
    if not CONTRACT_MIN_MONTHS <= value <= CONTRACT_MAX_MONTHS:
        raise ValidationError(
            _("A contract's length is from %(min)s to %(max)s months.")
            % {"min": CONTRACT_MIN_MONTHS, "max": CONTRACT_MAX_MONTHS},
            code="contract_months",
        )


def job_start_bounds(*, duo_start, duo_end):
    """``(earliest, latest)`` start date of the job (or other outcome) of a duo
    that ran from ``duo_start`` to ``duo_end``."""
    return (
        duo_start - relativedelta(months=JOB_START_MONTHS_BEFORE_START),
        duo_end + relativedelta(months=JOB_START_MONTHS_AFTER_CLOSURE),
    )


def outcome_errors(*, outcome_type, contract_type, contract_months, start_date, duo_start, duo_end):
    """``{field: [messages]}`` for an outcome that breaks a bound: a salaried job
    has a contract type; a CDI has no length; any other contract lasts
    ``CONTRACT_MIN_MONTHS`` to ``CONTRACT_MAX_MONTHS``; the start date lies in
    ``job_start_bounds``. ``contract_type``/``contract_months`` of a non-job
    outcome are ignored (the service clears them). Field names are those of the
    closure form (``contract_type``, ``contract_months``, ``outcome_start_date``)."""
    from .models import ContractType, OutcomeType

    errors = {}
    if outcome_type == OutcomeType.JOB:
        if not contract_type:
            _add(errors, "contract_type", _("Choose the contract type of the job."))
        elif contract_type == ContractType.CDI:
            if contract_months is not None:
                _add(errors, "contract_months", _("A permanent contract (CDI) has no length: leave it empty."))
        elif contract_months is None:
            _add(errors, "contract_months", _("Give the contract length in months (only a CDI has none)."))
        else:
            try:
                validate_contract_months(contract_months)
            except ValidationError as exc:
                errors.setdefault("contract_months", []).extend(exc.messages)
    if start_date is not None:
        range_errors = date_range_errors(outcome_start_date=start_date)
        if range_errors:
            return {**errors, **range_errors}
        earliest, latest = job_start_bounds(duo_start=duo_start, duo_end=duo_end)
        if not earliest <= start_date <= latest:
            _add(
                errors,
                "outcome_start_date",
                _(
                    "The job starts from %(first)s (a month before the duo started) to %(last)s "
                    "(12 months after its closure)."
                )
                % {"first": _fmt(earliest), "last": _fmt(latest)},
            )
    return errors


# --- closure -------------------------------------------------------------------------


def closure_errors(*, reason, end_date, planned_end_date, tolerance_days, outcome_type):
    """``{field: [messages]}`` for a closure reason the facts contradict:
    "completed the planned term" only with an end date within
    ``tolerance_days`` (programme data) of ``planned_end_date``; "ended early:
    found a job or training" only with a positive outcome (docs/design.md)."""
    from .models import POSITIVE_OUTCOME_TYPES, ClosureReason

    errors = {}
    if reason == ClosureReason.COMPLETED:
        earliest = planned_end_date - datetime.timedelta(days=tolerance_days)
        latest = planned_end_date + datetime.timedelta(days=tolerance_days)
        if not earliest <= end_date <= latest:
            _add(
                errors,
                "reason",
                ngettext(
                    "A duo completes its planned term when it closes within %(days)d day of its planned end "
                    "(%(planned_end)s), from %(first)s to %(last)s. Choose a reason for ending early, or correct "
                    "the closure date.",
                    "A duo completes its planned term when it closes within %(days)d days of its planned end "
                    "(%(planned_end)s), from %(first)s to %(last)s. Choose a reason for ending early, or correct "
                    "the closure date.",
                    tolerance_days,
                )
                % {
                    "days": tolerance_days,
                    "planned_end": _fmt(planned_end_date),
                    "first": _fmt(earliest),
                    "last": _fmt(latest),
                },
            )
    if reason == ClosureReason.EARLY_JOB and outcome_type and outcome_type not in POSITIVE_OUTCOME_TYPES:
        _add(
            errors,
            "outcome_type",
            _(
                "A duo that ended because the mentee found a job or training has a job, self-employment, FPI, "
                "training, internship or studies as its outcome."
            ),
        )
    return errors


# --- free text -----------------------------------------------------------------------


def validate_note_length(value):
    """Validator of notes (meeting, closure, outcome): at most ``NOTE_MAX_LENGTH``
    characters. Notes are also wrapped on screen, long words included."""
    if value and len(value) > NOTE_MAX_LENGTH:
        raise ValidationError(
            _("A note has at most %(max)s characters; this one has %(length)s.")
            % {"max": number_format(NOTE_MAX_LENGTH, force_grouping=True), "length": len(value)},
            code="note_too_long",
        )


def correction_reason_errors(reason):
    """``{"correction_reason": [message]}`` unless ``reason`` says, in at most
    ``CORRECTION_REASON_MAX_LENGTH`` characters, why a duo is corrected,
    reopened or cancelled (it is kept with the change)."""
    reason = (reason or "").strip()
    if not reason:
        return {"correction_reason": [_("Say why: the reason is kept with the change, in the duo's history.")]}
    if len(reason) > CORRECTION_REASON_MAX_LENGTH:
        return {
            "correction_reason": [
                _("A reason has at most %(max)s characters; this one has %(length)s.")
                % {"max": CORRECTION_REASON_MAX_LENGTH, "length": len(reason)}
            ]
        }
    return {}


# --- job-seeker number -------------------------------------------------------------


def jobseeker_number_format():
    """``(pattern, description)`` of the Actiris job-seeker number, from
    ``settings.JOBSEEKER_NUMBER_PATTERN`` (a regular expression the whole number
    matches) and ``settings.JOBSEEKER_NUMBER_FORMAT`` (its description for
    people; when empty, the built-in translated description of the default
    pattern, or the pattern itself for another pattern)."""
    pattern = settings.JOBSEEKER_NUMBER_PATTERN
    description = settings.JOBSEEKER_NUMBER_FORMAT
    if not description:
        if pattern == DEFAULT_JOBSEEKER_NUMBER_PATTERN:
            description = _("5 to 12 digits, without spaces or other signs")
        else:
            description = pattern
    return pattern, description


def validate_jobseeker_number(value):
    """Validator: the job-seeker number matches the configured format."""
    if not value:
        return
    pattern, description = jobseeker_number_format()
    if not re.fullmatch(pattern, value):
        raise ValidationError(
            _("Enter the job-seeker number as %(format)s.") % {"format": description},
            code="jobseeker_number_format",
        )
