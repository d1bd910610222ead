"""What every export cell goes through: numbers as numbers, texts that a
spreadsheet can never run as a formula, duos under a pseudonym.

Formula injection (CWE-1236, OWASP "CSV injection"): a spreadsheet runs a
cell that starts with ``=``, ``+``, ``-`` or ``@`` (and some with a tab or a
carriage return first) as a formula: a partner or programme named
``=HYPERLINK(...)`` would become a live link. In a CSV such a text gets a
leading apostrophe, which spreadsheets show as a text marker; in an XLSX it
is written as a string cell, which is never evaluated.
"""

import hashlib
import hmac
from decimal import Decimal

from django.conf import settings
from django.utils.formats import number_format

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def is_formula_like(text):
    return isinstance(text, str) and text.startswith(FORMULA_STARTS)


def csv_text(value):
    """``value`` as CSV text that no spreadsheet reads as a formula."""
    text = "" if value is None else str(value)
    return "'" + text if is_formula_like(text) else text


def plain_number(value):
    """Decimals as JSON/XLSX numbers (``Decimal("50.7")`` → ``50.7``)."""
    if isinstance(value, Decimal):
        return float(value) if value != value.to_integral_value() or value.as_tuple().exponent < 0 else int(value)
    return value


def csv_number(value, *, localized):
    """A number for a CSV: in the active language's format (decimal comma in
    French and Dutch, no thousands separator) or with a decimal point."""
    if value is None:
        return ""
    if not localized:
        return str(value)
    decimals = max(-value.as_tuple().exponent, 0) if isinstance(value, Decimal) else 0
    return number_format(value, decimal_pos=decimals, use_l10n=True, force_grouping=False)


def duo_pseudonym(duo_id):
    """A stable pseudonymous id for a duo: a keyed hash of its id, so a report
    reader cannot walk the application's ids, while the application (which
    holds the key) can still find the duo behind a line."""
    digest = hmac.new(settings.SECRET_KEY.encode(), f"duo:{duo_id}".encode(), hashlib.sha256).hexdigest()
    return "D-" + digest[:10].upper()
