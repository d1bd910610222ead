"""Errors of the API as JSON.

The services (``duos.services`` and the others) raise Django's
``ValidationError`` keyed by form field, with messages in the active language
(``Accept-Language``, through ``LocaleMiddleware``). The API lets them
propagate and ``exception_handler`` answers them as DRF does its own: 400 with
``{field: [messages]}``, errors about no one field under ``non_field_errors``.
"""

from django.core.exceptions import NON_FIELD_ERRORS
from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext as _
from rest_framework import exceptions
from rest_framework.settings import api_settings
from rest_framework.views import exception_handler as drf_exception_handler

from duos.services import SAME_DAY_CODE
from mentoring.forms import STALE_CODE

from .versions import PreconditionFailed


def _messages(error):
    """The messages of one Django ``ValidationError`` (a list of them, or one)."""
    if getattr(error, "code", None) == SAME_DAY_CODE:
        # The page asks to tick a box; an API client sends a flag.
        return [
            _(
                "This duo already has a meeting on this date. Send confirm_same_day: true to record a second one "
                "on that day; the cadence counts it once."
            )
        ]
    return list(error.messages)


def validation_error_detail(error):
    """``{field: [messages]}`` of a Django ``ValidationError``; errors without a
    field (``__all__`` or a plain message) under ``non_field_errors``."""
    non_field = api_settings.NON_FIELD_ERRORS_KEY
    if not hasattr(error, "error_dict"):
        return {non_field: [m for e in error.error_list for m in _messages(e)]}
    detail = {}
    for field, errors in error.error_dict.items():
        key = non_field if field == NON_FIELD_ERRORS else field
        detail.setdefault(key, []).extend(m for e in errors for m in _messages(e))
    return detail


def exception_handler(exc, context):
    """DRF's handler, which also answers a service's ``ValidationError``: 400,
    or 412 when the record changed since the client read it (``If-Match``)."""
    if isinstance(exc, DjangoValidationError):
        if not hasattr(exc, "error_dict") and any(e.code == STALE_CODE for e in exc.error_list):
            exc = PreconditionFailed()
        else:
            exc = exceptions.ValidationError(validation_error_detail(exc))
    return drf_exception_handler(exc, context)
