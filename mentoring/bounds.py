"""Bounds on dates that every part of the product shares.

Records (birth dates excepted), reporting periods, report requests, the
``report`` command, the import and the API accept dates from
``settings.DATES_ALLOWED_FROM`` to ``settings.DATES_ALLOWED_TO`` (both
included; default 2000-01-01 to 2099-12-31, set from the environment). A date
outside this range is a form error in the user's language, never a server
error further down (date arithmetic near year 9999 overflows).
"""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.formats import date_format
from django.utils.translation import gettext as _


def allowed_date_range() -> tuple[datetime.date, datetime.date]:
    """``(first, last)`` allowed date, both included."""
    return settings.DATES_ALLOWED_FROM, settings.DATES_ALLOWED_TO


def date_out_of_range_message(day: datetime.date) -> str | None:
    """The message for a ``day`` outside the allowed range, or ``None`` when it is inside."""
    first, last = allowed_date_range()
    if first <= day <= last:
        return None
    return _("Enter a date from %(first)s to %(last)s.") % {
        "first": date_format(first, "SHORT_DATE_FORMAT"),
        "last": date_format(last, "SHORT_DATE_FORMAT"),
    }


def validate_date_in_allowed_range(value: datetime.date | None) -> None:
    """Validator for a model or form date field: ``ValidationError`` (code
    ``date_out_of_range``) for a date outside the allowed range."""
    if value is None:
        return
    message = date_out_of_range_message(value)
    if message:
        raise ValidationError(message, code="date_out_of_range")
