"""What the report exports' cells go through, beside ``mentoring.spreadsheets``
(the one rule every exported text follows: no cell starts a formula; CSV for
Excel; XLSX cells with their types): numbers for JSON and for the CSV for
machines, duos under a pseudonym."""

from __future__ import annotations

import hashlib
import hmac
from decimal import Decimal
from typing import Any

from django.conf import settings

from mentoring.spreadsheets import safe_cell


def plain_number(value: Any) -> Any:
    """Decimals as JSON/XLSX numbers (``Decimal("50.7")`` → ``50.7``)."""
    if isinstance(value, Decimal):
        exponent = value.as_tuple().exponent  # "n", "N" or "F" for NaN and infinity
        fractional = value != value.to_integral_value() or (isinstance(exponent, int) and exponent < 0)
        return float(value) if fractional else int(value)
    return value


def machine_value(value: Any) -> str:
    """A field of the CSV for machines: empty for ``None``, numbers with a
    decimal point, texts through ``safe_cell``."""
    if value is None:
        return ""
    if isinstance(value, int | float | Decimal):
        return str(value)
    return safe_cell(str(value))


def duo_pseudonym(duo_id: int) -> str:
    """A stable pseudonymous id for a duo: a keyed hash of its id, so a report
    reader cannot walk the application's ids, while the application (which
    holds the key) can still find the duo behind a line."""
    digest = hmac.new(settings.SECRET_KEY.encode(), f"duo:{duo_id}".encode(), hashlib.sha256).hexdigest()
    return "D-" + digest[:10].upper()
