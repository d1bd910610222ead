"""What the services share: message helpers, the duo's row lock, and the
check that a record did not change since the user opened it."""

import datetime
from typing import Any

from dateutil.relativedelta import relativedelta
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from mentoring.forms import STALE_CODE
from programmes.models import Programme

from ..models import Duo

# A service's errors: ``{field: [messages]}``, as ``ValidationError`` takes them.
Errors = dict[str, list[str]]


def planned_end_for(programme: Programme, start_date: datetime.date) -> datetime.date:
    """The planned end of a duo of ``programme`` starting on ``start_date``
    (``start_date`` must be inside the allowed date range: see ``bounds``)."""
    return start_date + relativedelta(months=programme.duration_months)


def fmt(day: datetime.date) -> str:
    return date_format(day, "SHORT_DATE_FORMAT")


def add(errors: Errors, field: str, message: str) -> None:
    errors.setdefault(field, []).append(message)


def merge(errors: Errors, more: Errors) -> Errors:
    for field, messages in more.items():
        errors.setdefault(field, []).extend(messages)
    return errors


# The relations of a duo read by ``lock_duo``: they exist, the validation of a
# locked duo need not look them up again (``mentoring.validation.full_clean``).
LOCKED_DUO_RELATIONS = ("partner", "programme", "mentor", "mentee", "convention")


def lock_duo(duo: Duo) -> Duo:
    """The duo's row, locked until the end of the transaction and read afresh:
    every write that reads a duo's state and then changes the duo or its
    meetings and outcomes goes through here, so two such writes never
    interleave (an edit racing a closure, two closures, a meeting logged while
    the duo closes). Call inside ``transaction.atomic``."""
    return Duo.objects.select_for_update().select_related("programme").get(pk=duo.pk)


def check_unchanged(current: Any, opened_version: datetime.datetime | None) -> None:
    """Raise a ``STALE_CODE`` ``ValidationError`` when ``current`` (the record
    as read now, locked) changed since the user opened it, i.e. when its
    ``updated_at`` is no longer ``opened_version``. ``None`` checks nothing
    (a new record, or a caller that opened no form)."""
    if opened_version is None or current.updated_at == opened_version:
        return
    last = current.history.select_related("history_user").first() if hasattr(current, "history") else None
    when = date_format(timezone.localtime(current.updated_at), "SHORT_DATETIME_FORMAT")
    if last is not None and last.history_user is not None:
        who = last.history_user.get_full_name() or last.history_user.get_username()
        message = _(
            "This record changed since you opened it: %(who)s saved it on %(when)s. Your input is kept below; "
            "check it against the record and save again to replace their changes."
        ) % {"who": who, "when": when}
    else:
        message = _(
            "This record changed since you opened it (saved on %(when)s). Your input is kept below; check it "
            "against the record and save again to replace those changes."
        ) % {"when": when}
    raise ValidationError(message, code=STALE_CODE)
