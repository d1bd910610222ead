"""Conditional writes: a client that read a record sends its ``ETag`` back as
``If-Match``, and the write is refused (412) when someone changed the record
in between, instead of silently replacing their change.

A record's version is its ``updated_at`` (``duos.forms.record_version``,
``duos.services.common.check_unchanged``: the same check the forms make).
Reads and writes of one record answer with ``ETag: "<updated_at>"``.
"""

import datetime

from django.utils.translation import gettext_lazy as _
from rest_framework import status
from rest_framework.exceptions import APIException


class PreconditionFailed(APIException):
    status_code = status.HTTP_412_PRECONDITION_FAILED
    default_detail = _(
        "This record changed since you read it: read it again, check your change against it and send it "
        "with its new ETag in If-Match."
    )
    default_code = "stale"


def etag_of(data):
    """The ``ETag`` of a record as serialized (its ``updated_at``), or ``None``."""
    version = data.get("updated_at") if isinstance(data, dict) else None
    return f'"{version}"' if version else None


def if_match_version(request):
    """The version named by the request's ``If-Match`` (a datetime), or
    ``None`` when it has none (or ``*``): then nothing is checked. A value
    that is not one of our ETags cannot match: ``PreconditionFailed``."""
    header = request.headers.get("If-Match", "").strip()
    if not header or header == "*":
        return None
    value = header.removeprefix("W/").strip().strip('"')
    try:
        version = datetime.datetime.fromisoformat(value)
    except ValueError:
        raise PreconditionFailed from None
    if version.tzinfo is None:
        raise PreconditionFailed
    return version
