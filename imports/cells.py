"""What a spreadsheet cell may hold, read into a Python value.

Each reader takes the raw value (a ``str`` from a CSV; ``str``, ``int``,
``float``, ``datetime`` or ``None`` from openpyxl) and returns the value or
raises ``CellError`` with a message in the active language that says what
the column expects. Readers are lenient where the meaning is certain and
strict where it is not:

* dates: a date cell, ``2019-12-31``, or day first ``31/12/2019``,
  ``31.12.2019``, ``31-12-2019`` (Belgium writes the day first in all three
  languages); a number is an Excel day number (a date cell that lost its
  format, 43830 = 31/12/2019): read as that date, and said in the preview;
  two-digit years and American month-first dates are refused;
* whole numbers: ``90``, ``90.0``, ``90,0``; ``1,5`` or ``1.000`` are refused
  (a decimal comma or a thousands separator cannot be told apart);
* choices: the stored code (``cdi``) or the label in French, Dutch or English,
  whatever the case and accents;
* yes/no: yes, no, oui, non, ja, nee, true, false, 1, 0.
"""

import datetime
import re
import unicodedata

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from mentoring.spreadsheets import unprotect_text

# Excel's day 0 in the 1900 date system (counting its phantom 29 February 1900).
EXCEL_EPOCH = datetime.date(1899, 12, 30)
# Day numbers read as dates: 1 January 1901 to 31 December 2099.
EXCEL_SERIAL_RANGE = (367, 73050)
LANGUAGE_CODES = ("fr", "nl", "en")

_DAY_FIRST = re.compile(r"^(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{2,4})$")
_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?$")
# "90", "90.0", "90,00"; not "1.000" nor "1,000" (a thousands separator or three decimals?).
_WHOLE = re.compile(r"^[+]?(\d+)(?:[.,]0{1,2})?$")


class CellError(Exception):
    """A cell that does not hold what its column expects; ``message`` is for
    the user, in the active language."""

    def __init__(self, message):
        super().__init__(message)
        self.message = str(message)


def normalise(text):
    """Case, accents and spacing folded away: how headers, sheet names and
    choice labels are compared."""
    text = unicodedata.normalize("NFKD", str(text))
    text = "".join(char for char in text if not unicodedata.combining(char))
    return " ".join(text.casefold().replace("\u00a0", " ").split())


def is_empty(raw):
    return raw is None or (isinstance(raw, str) and not raw.strip())


def as_text(raw):
    """The cell as text: numbers without a trailing ``.0`` (Excel stores
    12345678 as 12345678.0), dates in ISO, a protective apostrophe removed."""
    if raw is None:
        return ""
    if isinstance(raw, bool):
        return "1" if raw else "0"
    if isinstance(raw, float) and raw.is_integer():
        return str(int(raw))
    if isinstance(raw, datetime.datetime):
        return raw.date().isoformat() if raw.time() == datetime.time() else raw.isoformat(sep=" ")
    if isinstance(raw, datetime.date):
        return raw.isoformat()
    return unprotect_text(str(raw).strip())


class Notes:
    """What the reader did that the user should know before confirming
    (dates read from day numbers). Collected per file, shown in the preview."""

    SAMPLES = 3

    def __init__(self):
        self.serial_dates = 0
        self.serial_examples = []

    def serial_date(self, where, serial, day):
        self.serial_dates += 1
        if len(self.serial_examples) < self.SAMPLES:
            self.serial_examples.append((where, serial, day))


class TextCell:
    def __init__(self, max_length, *, email=False):
        self.max_length = max_length
        self.email = email

    def read(self, raw, notes=None, where=""):
        text = as_text(raw)
        if len(text) > self.max_length:
            raise CellError(
                _("At most %(max)s characters; this text has %(length)s.")
                % {"max": self.max_length, "length": len(text)}
            )
        if self.email and text:
            try:
                validate_email(text)
            except ValidationError as exc:
                raise CellError(_("Enter a valid e-mail address.")) from exc
        return text


class DateCell:
    def read(self, raw, notes=None, where=""):
        if isinstance(raw, datetime.datetime):
            return raw.date()
        if isinstance(raw, datetime.date):
            return raw
        if isinstance(raw, int | float) and not isinstance(raw, bool):
            return self._serial(raw, notes, where)
        text = as_text(raw)
        if re.fullmatch(r"\d+(?:[.,]0{1,2})?", text):
            return self._serial(int(re.split(r"[.,]", text)[0]), notes, where)
        match = _ISO.match(text)
        if match:
            year, month, day = (int(part) for part in match.groups())
            return self._date(year, month, day, text)
        match = _DAY_FIRST.match(text)
        if match:
            day, month, year = (int(part) for part in match.groups())
            if len(match.group(3)) != 4:
                raise CellError(_("Write the year with four digits: %(example)s.") % {"example": self._example()})
            return self._date(year, month, day, text)
        raise CellError(
            _("%(value)s is not a date: write it as %(example)s (day/month/year) or as 2019-12-31.")
            % {"value": text, "example": self._example()}
        )

    @staticmethod
    def _example():
        return "31/12/2019"

    def _date(self, year, month, day, text):
        try:
            return datetime.date(year, month, day)
        except ValueError as exc:
            raise CellError(
                _("%(value)s is not a date: write it as %(example)s (day/month/year) or as 2019-12-31.")
                % {"value": text, "example": self._example()}
            ) from exc

    def _serial(self, number, notes, where):
        if float(number) != int(number) or not EXCEL_SERIAL_RANGE[0] <= int(number) <= EXCEL_SERIAL_RANGE[1]:
            raise CellError(
                _("%(value)s is not a date: write it as %(example)s (day/month/year) or as 2019-12-31.")
                % {"value": as_text(number), "example": self._example()}
            )
        day = EXCEL_EPOCH + datetime.timedelta(days=int(number))
        if notes is not None:
            notes.serial_date(where, int(number), day)
        return day


class WholeNumberCell:
    def __init__(self, unit_example):
        self.unit_example = unit_example  # e.g. "90"

    def read(self, raw, notes=None, where=""):
        if isinstance(raw, int) and not isinstance(raw, bool):
            return raw
        if isinstance(raw, float):
            if raw.is_integer():
                return int(raw)
            raise self._error(as_text(raw))
        text = as_text(raw).replace(" ", "")
        match = _WHOLE.match(text)
        if not match:
            raise self._error(text)
        return int(match.group(1))

    def _error(self, text):
        return CellError(
            _("%(value)s is not a whole number: write digits only, for example %(example)s.")
            % {"value": text, "example": self.unit_example}
        )


def labels_in_every_language(label):
    """``label`` (a lazy translation) in French, Dutch and English."""
    labels = set()
    for code in LANGUAGE_CODES:
        with translation.override(code):
            labels.add(str(label))
    return labels


class ChoiceCell:
    """One of ``choices`` (Django ``choices``: code and lazy label)."""

    def __init__(self, choices):
        self.choices = list(choices)
        self._lookup = None

    @property
    def lookup(self):
        if self._lookup is None:
            lookup = {}
            for code, label in self.choices:
                lookup[normalise(code)] = code
                for text in labels_in_every_language(label):
                    lookup.setdefault(normalise(text), code)
            self._lookup = lookup
        return self._lookup

    def read(self, raw, notes=None, where=""):
        text = as_text(raw)
        if not text:
            return ""
        try:
            return self.lookup[normalise(text)]
        except KeyError:
            raise CellError(
                _("%(value)s is not one of: %(choices)s.") % {"value": text, "choices": self.allowed()}
            ) from None

    def allowed(self):
        return "; ".join(str(label) for _code, label in self.choices)

    def label(self, code):
        return dict(self.choices).get(code, code)


YES = gettext_lazy("Yes")
NO = gettext_lazy("No")
YES_WORDS = {"yes", "y", "oui", "o", "ja", "j", "true", "vrai", "waar", "1", "x"}
NO_WORDS = {"no", "n", "non", "nee", "neen", "false", "faux", "onwaar", "0"}


class YesNoCell:
    """Yes or no; empty is ``None`` (not given)."""

    def read(self, raw, notes=None, where=""):
        if isinstance(raw, bool):
            return raw
        text = normalise(as_text(raw))
        if not text:
            return None
        if text in YES_WORDS or text in {normalise(t) for t in labels_in_every_language(YES)}:
            return True
        if text in NO_WORDS or text in {normalise(t) for t in labels_in_every_language(NO)}:
            return False
        raise CellError(_("%(value)s is neither yes nor no.") % {"value": as_text(raw)})
