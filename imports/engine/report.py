"""What an import run found: per sheet the rows to create, to update and left
unchanged, and every error with its sheet, row, column and message (in the
language the run was made in). Stored as JSON on the import request and shown
as the preview."""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from mentoring.spreadsheets import yes_no

CREATE, UPDATE, UNCHANGED, ERROR = "create", "update", "unchanged", "error"


def display(value, cell=None):
    """A value as the preview shows it."""
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return str(yes_no(value))
    if isinstance(value, datetime.date):
        return date_format(value, "SHORT_DATE_FORMAT")
    if cell is not None and hasattr(cell, "label"):
        return str(cell.label(value))
    return str(value)


class Report:
    """Counts and details of one run over a ``reader.ParsedFile``."""

    def __init__(self, parsed):
        self.parsed = parsed
        self.sheets = {}
        for kind, data in parsed.sheets.items():
            self.sheets[kind] = {
                "kind": kind,
                "title": str(data.sheet.title),
                "name": data.name,
                "rows": len(data.rows),
                CREATE: 0,
                UPDATE: 0,
                UNCHANGED: 0,
                ERROR: 0,
                "created": [],
                "updated": [],
            }
        self.errors = []
        self._rows_in_error = set()
        self.committed = False

    # --- outcomes of rows ---

    def created(self, row, label):
        sheet = self.sheets[row.kind]
        sheet[CREATE] += 1
        if len(sheet["created"]) < settings.IMPORT_PREVIEW_ROWS:
            sheet["created"].append({"row": row.number, "label": label})

    def updated(self, row, label, changes):
        """``changes``: ``[(column label, old, new)]``, values already displayed."""
        sheet = self.sheets[row.kind]
        sheet[UPDATE] += 1
        if len(sheet["updated"]) < settings.IMPORT_PREVIEW_ROWS:
            sheet["updated"].append(
                {
                    "row": row.number,
                    "label": label,
                    "changes": [{"column": str(c), "old": old, "new": new} for c, old, new in changes],
                }
            )

    def unchanged(self, row):
        self.sheets[row.kind][UNCHANGED] += 1

    def error(self, row, column_key, message):
        """An error of ``row``; ``column_key`` ``None`` for the row as a whole."""
        sheet = self.parsed.sheets[row.kind].sheet
        column = str(sheet.column(column_key).label) if column_key else ""
        self.errors.append(
            {
                "sheet": self.sheets[row.kind]["name"],
                "row": row.number,
                "column": column,
                "message": str(message),
            }
        )
        if (row.kind, row.number) not in self._rows_in_error:
            self._rows_in_error.add((row.kind, row.number))
            self.sheets[row.kind][ERROR] += 1

    def cell_errors(self, row):
        for key, message in row.errors:
            self.error(row, key, message)

    def validation_error(self, row, exc, columns, *, rewrite=None):
        """Report a service's ``ValidationError``: each field is put under
        its column (``columns``: service field → column key; a field not
        there is about the row as a whole). ``rewrite(field, error)`` may
        return another message for one error (``None``: keep it)."""
        present = set(self.parsed.sheets[row.kind].present)
        if hasattr(exc, "error_dict"):
            for field, errors in exc.error_dict.items():
                key = columns.get(field)
                key = key if key in present else None
                for error in errors:
                    message = rewrite(field, error) if rewrite else None
                    for text in [message] if message else error.messages:
                        self.error(row, key, text)
        else:
            for text in exc.messages:
                self.error(row, None, text)

    # --- the whole ---

    @property
    def has_errors(self):
        return bool(self.errors)

    def totals(self):
        return {key: sum(sheet[key] for sheet in self.sheets.values()) for key in (CREATE, UPDATE, UNCHANGED, ERROR)}

    def as_dict(self):
        """The JSON stored on the import request (see ``imports.models``)."""
        self.errors.sort(key=lambda error: (list(self.sheets).index(_kind_of(self, error)), error["row"]))
        return {
            "sheets": list(self.sheets.values()),
            "errors": self.errors,
            "totals": self.totals(),
            "notices": notices(self.parsed),
            "committed": self.committed,
        }


def _kind_of(report, error):
    for kind, sheet in report.sheets.items():
        if sheet["name"] == error["sheet"]:
            return kind
    return next(iter(report.sheets))


def notices(parsed):
    """What the reader did that the user should know: how the file was read,
    dates read from Excel day numbers."""
    from imports.reader import CSV, DELIMITER_NAMES

    lines = []
    if parsed.file_format == CSV:
        lines.append(
            _("Read as a CSV file in %(encoding)s, columns separated by %(delimiter)s.")
            % {"encoding": parsed.encoding, "delimiter": DELIMITER_NAMES[parsed.delimiter]}
        )
        if parsed.decoded_as_legacy:
            lines.append(
                _(
                    "This CSV file is not in UTF-8: it was read as %(encoding)s, the encoding Excel uses on "
                    "Windows. Check that accented letters (é, ë, ç) look right below."
                )
                % {"encoding": parsed.encoding}
            )
    notes = parsed.notes
    if notes.serial_dates:
        examples = "; ".join(
            _("%(where)s: %(number)s → %(date)s") % {"where": where, "number": serial, "date": display(day)}
            for where, serial, day in notes.serial_examples
        )
        lines.append(
            ngettext(
                "%(count)s date was written as a number (Excel's day number, as when a date cell loses its "
                "format) and read as a date: %(examples)s. Check it.",
                "%(count)s dates were written as numbers (Excel's day numbers, as when a date cell loses its "
                "format) and read as dates, for example %(examples)s. Check them.",
                notes.serial_dates,
            )
            % {"count": notes.serial_dates, "examples": examples}
        )
    return lines


def message_of(error):
    """The text of one ``ValidationError`` (of an ``error_dict`` list)."""
    if isinstance(error, ValidationError):
        return " ".join(error.messages)
    return str(error)
