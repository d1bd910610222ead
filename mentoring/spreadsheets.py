"""Spreadsheet files that people open in Excel or LibreOffice: XLSX and
"CSV for Excel", and the one rule every exported text cell follows.

**No cell may start a formula** (formula or "CSV" injection, CWE-1236): a
spreadsheet runs a cell that starts with ``=``, ``+``, ``-`` or ``@`` (some
also after a tab or a carriage return) as a formula, so a mentor named
``=HYPERLINK("http://evil", "click")`` would become a live link in the
coordinator's export. Such a text is written as text:

* in a CSV, with a leading apostrophe (``safe_cell``), which spreadsheets
  read as "this is text" and hide or show as a harmless mark;
* in an XLSX, as a string cell with Excel's "quote prefix" style
  (``XlsxBook.write``): never evaluated, shown exactly as it was typed.

The import reads such an apostrophe back off (``unprotect_text``), so an
exported file imported again changes nothing.

**CSV for Excel**: what opens in one double click in Excel set up for
Belgium: UTF-8 with a byte-order mark (else Excel reads Latin-1), ``;``
between fields (Excel's list separator where the decimal separator is a
comma), a decimal comma in French and Dutch, dates written ``31/12/2019``,
headers in the user's language, ``\\r\\n`` line ends.

Both writers take rows lazily (an iterator over a queryset): a CSV is
streamed to the client as it is written; an XLSX is written row by row to a
temporary file (XlsxWriter's constant-memory mode: several times faster than
openpyxl's write-only mode, and memory does not grow with the rows) and then
streamed.
"""

import csv
import datetime
import io
import tempfile
from collections import namedtuple
from decimal import Decimal

import xlsxwriter
from django.http import FileResponse, StreamingHttpResponse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
XLSX = "xlsx"
CSV_EXCEL = "csv"
FORMATS = (XLSX, CSV_EXCEL)
CONTENT_TYPES = {
    XLSX: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    CSV_EXCEL: "text/csv; charset=utf-8",
}
CSV_DATE_FORMAT = "%d/%m/%Y"  # day first, as in Belgium in all three languages
CSV_DATETIME_FORMAT = "%d/%m/%Y %H:%M"
XLSX_DATE_FORMAT = "DD/MM/YYYY"
XLSX_DATETIME_FORMAT = "DD/MM/YYYY HH:MM"
# Languages whose spreadsheets write 1,5 for one and a half.
DECIMAL_COMMA_LANGUAGES = ("fr", "nl")


def is_formula_like(value):
    """Whether ``value`` is a text a spreadsheet could run as a formula."""
    return isinstance(value, str) and value.startswith(FORMULA_STARTS)


def safe_cell(value):
    """``value`` for a CSV field: a text that starts like a formula
    (``FORMULA_STARTS``) gets a leading apostrophe; anything else is returned
    unchanged."""
    if is_formula_like(value):
        return "'" + value
    return value


def unprotect_text(text):
    """The inverse of ``safe_cell`` for a text read back from a spreadsheet:
    ``"'=1+1"`` → ``"=1+1"``. Any other text is returned unchanged."""
    if isinstance(text, str) and len(text) > 1 and text[0] == "'" and text[1:].startswith(FORMULA_STARTS):
        return text[1:]
    return text


def uses_decimal_comma(language=None):
    return (language or translation.get_language() or "").split("-")[0] in DECIMAL_COMMA_LANGUAGES


def yes_no(value):
    """A boolean as the user reads it ("Yes"/"No" in the active language)."""
    return _("Yes") if value else _("No")


# --- CSV for Excel ---------------------------------------------------------------


def csv_value(value, *, decimal_comma):
    """One CSV field: empty for ``None``, "Yes"/"No" for booleans, dates day
    first, decimals with a comma when ``decimal_comma``, texts through
    ``safe_cell``."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return yes_no(value)
    if isinstance(value, datetime.datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value)
        return value.strftime(CSV_DATETIME_FORMAT)
    if isinstance(value, datetime.date):
        return value.strftime(CSV_DATE_FORMAT)
    if isinstance(value, Decimal | float):
        text = format(value, "f") if isinstance(value, Decimal) else repr(value)
        return text.replace(".", ",") if decimal_comma else text
    if isinstance(value, int):
        return str(value)
    return safe_cell(str(value))


def csv_for_excel_lines(headers, rows, *, language=None):
    """The lines of a CSV for Excel, as UTF-8 bytes: the byte-order mark and
    the header first, then one line per row (an iterable of value lists),
    written as they are read."""
    decimal_comma = uses_decimal_comma(language)
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")

    def flush():
        text = buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
        return text.encode("utf-8")

    writer.writerow([csv_value(str(header), decimal_comma=False) for header in headers])
    yield b"\xef\xbb\xbf" + flush()
    for row in rows:
        writer.writerow([csv_value(value, decimal_comma=decimal_comma) for value in row])
        yield flush()


# --- XLSX ---------------------------------------------------------------------------


class Styled(namedtuple("Styled", "value style")):
    """A value with its cell style: ``bold``, ``size`` (points), ``fill`` (a
    background colour such as ``"#DDE7F0"``), ``num_format`` (an Excel number
    format), ``wrap`` (wrapped text, aligned to the top)."""


def styled(value, **style):
    """``value`` to be written with ``style`` (see ``Styled``)."""
    return Styled(value, style)


_STYLE_PROPERTIES = {
    "bold": lambda value: {"bold": value},
    "size": lambda value: {"font_size": value},
    "fill": lambda value: {"bg_color": value, "pattern": 1},
    "num_format": lambda value: {"num_format": value},
    "wrap": lambda value: {"text_wrap": value, "valign": "top"} if value else {},
    "quote_prefix": lambda value: {"quote_prefix": value},
}


class XlsxSheet:
    """One worksheet, written row by row (``append``), as openpyxl's
    write-only sheets were: XlsxWriter's constant-memory mode flushes each
    row to disk once the next one starts."""

    def __init__(self, book, worksheet):
        self.book = book
        self.worksheet = worksheet
        self.row = 0

    def set_widths(self, widths, first_column=0):
        """Column widths in characters, from ``first_column`` (0 is A)."""
        for index, width in enumerate(widths or (), start=first_column):
            if width:
                self.worksheet.set_column(index, index, width)

    def freeze(self, rows, columns=0):
        """Keep the first ``rows`` rows and ``columns`` columns in view."""
        self.worksheet.freeze_panes(rows, columns)

    def append(self, values):
        """Write the next row: ``values`` are plain values or ``Styled`` ones;
        ``None`` leaves the cell empty."""
        for column, value in enumerate(values):
            if isinstance(value, Styled):
                self.book.write(self.worksheet, self.row, column, value.value, value.style)
            elif value is not None:
                self.book.write(self.worksheet, self.row, column, value, None)
        self.row += 1


class XlsxBook:
    """An XLSX workbook written to ``target`` (a path or a binary file) with
    XlsxWriter in constant-memory mode: rows go to disk as they are written,
    so memory does not grow with the rows. ``close()`` writes the file.

    Every cell is typed by ``write`` (the one rule of every XLSX export):
    numbers as numbers, dates as dates shown day first, booleans as
    "Yes"/"No", every other value as a string that is never evaluated (a
    formula-like text gets Excel's quote prefix, so it is shown as typed)."""

    def __init__(self, target):
        self.workbook = xlsxwriter.Workbook(
            target,
            {
                "constant_memory": True,
                # Typed writes only: a text is never turned into a formula, a number or a link.
                "strings_to_formulas": False,
                "strings_to_numbers": False,
                "strings_to_urls": False,
            },
        )
        self._formats = {}

    def sheet(self, title):
        return XlsxSheet(self, self.workbook.add_worksheet(str(title)[:31]))

    def format(self, style):
        """The workbook's format for ``style`` (a dict, see ``Styled``), made once."""
        if not style:
            return None
        key = tuple(sorted(style.items()))
        if key not in self._formats:
            properties = {}
            for name, value in style.items():
                properties.update(_STYLE_PROPERTIES[name](value))
            self._formats[key] = self.workbook.add_format(properties)
        return self._formats[key]

    def write(self, worksheet, row, column, value, style):
        """One cell: ``value`` typed as the class says, with ``style`` (a
        dict or ``None``)."""
        kind = type(value)
        if kind is str:
            if value.startswith(FORMULA_STARTS):
                style = {**(style or {}), "quote_prefix": True}
            worksheet.write_string(row, column, value, self.format(style))
        elif kind is int or kind is float:
            worksheet.write_number(row, column, value, self.format(style))
        elif kind is bool:
            worksheet.write_string(row, column, yes_no(value), self.format(style))
        elif isinstance(value, Decimal):
            worksheet.write_number(row, column, float(value), self.format(style))
        elif isinstance(value, datetime.datetime):
            if timezone.is_aware(value):
                value = timezone.make_naive(value)
            style = {"num_format": XLSX_DATETIME_FORMAT, **(style or {})}
            worksheet.write_datetime(row, column, value, self.format(style))
        elif isinstance(value, datetime.date):
            style = {"num_format": XLSX_DATE_FORMAT, **(style or {})}
            worksheet.write_datetime(row, column, value, self.format(style))
        elif isinstance(value, int | float):  # an int or float subclass (an IntegerChoices member...)
            worksheet.write_number(row, column, value, self.format(style))
        else:
            self.write(worksheet, row, column, str(value), style)

    def close(self):
        self.workbook.close()


def write_xlsx(sheets, target):
    """Write a workbook to the binary file ``target``; ``sheets`` is an
    iterable of ``(title, headers, rows, widths)`` (``widths``: column widths
    in characters, or ``None``). Rows are written as they are read."""
    book = XlsxBook(target)
    for title, headers, rows, widths in sheets:
        sheet = book.sheet(title)
        sheet.set_widths(widths)
        sheet.freeze(1)
        sheet.append([styled(str(header), bold=True) for header in headers])
        for row in rows:
            sheet.append(row)
    book.close()


# --- HTTP responses --------------------------------------------------------------------


def spreadsheet_response(*, file_format, filename, title, headers, rows, widths=None):
    """A download of one table: ``file_format`` ``XLSX`` or ``CSV_EXCEL``;
    ``filename`` without extension; ``headers`` already translated; ``rows``
    an iterable of value lists, read once. A CSV is streamed as it is
    written; an XLSX is built in a temporary file, then streamed."""
    if file_format not in FORMATS:
        raise ValueError(file_format)
    if file_format == CSV_EXCEL:
        response = StreamingHttpResponse(csv_for_excel_lines(headers, rows), content_type=CONTENT_TYPES[CSV_EXCEL])
        response["Content-Disposition"] = f'attachment; filename="{filename}.csv"'
    else:
        # Closed by the response once sent (FileResponse closes its file).
        target = tempfile.TemporaryFile()  # noqa: SIM115
        write_xlsx([(title, headers, rows, widths)], target)
        target.seek(0)
        response = FileResponse(
            target, as_attachment=True, filename=f"{filename}.xlsx", content_type=CONTENT_TYPES[XLSX]
        )
    response["Cache-Control"] = "private, no-store"
    return response
