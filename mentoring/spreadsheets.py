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
  (``xlsx_cell``): never evaluated, shown exactly as it was typed.

The import reads such an apostrophe back off (``unprotect_text``), so an
exported file imported again changes nothing.

**CSV for Excel**: what opens in one double click in Excel set up for
Belgium: UTF-8 with a byte-order mark (else Excel reads Latin-1), ``;``
between fields (Excel's list separator where the decimal separator is a
comma), a decimal comma in French and Dutch, dates written ``31/12/2019``,
headers in the user's language, ``\\r\\n`` line ends.

Both writers take rows lazily (an iterator over a queryset): a CSV is
streamed to the client as it is written; an XLSX is written row by row to a
temporary file (openpyxl's write-only mode, constant memory) and then
streamed.
"""

import csv
import datetime
import io
import tempfile
from decimal import Decimal

from django.http import FileResponse, StreamingHttpResponse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

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


def xlsx_cell(worksheet, value, *, bold=False):
    """A write-only cell holding ``value`` with its type: numbers as numbers,
    dates as dates (shown day first), booleans as "Yes"/"No", every text as a
    string that is never evaluated (a formula-like text keeps Excel's quote
    prefix, so it is shown as typed)."""
    if isinstance(value, Decimal):
        value = float(value)
    elif isinstance(value, bool):
        value = yes_no(value)
    elif isinstance(value, datetime.datetime) and timezone.is_aware(value):
        value = timezone.make_naive(value)
    elif value is not None and not isinstance(value, int | float | datetime.date):
        value = str(value)
    cell = WriteOnlyCell(worksheet, value=value)
    if isinstance(value, str):
        cell.data_type = "s"  # openpyxl would store "=..." as a formula
        if is_formula_like(value):
            cell.quotePrefix = True
    elif isinstance(value, datetime.datetime):
        cell.number_format = XLSX_DATETIME_FORMAT
    elif isinstance(value, datetime.date):
        cell.number_format = XLSX_DATE_FORMAT
    if bold:
        cell.font = Font(bold=True)
    return cell


def write_xlsx(sheets, target):
    """Write a workbook to the binary file ``target``; ``sheets`` is an
    iterable of ``(title, headers, rows, widths)`` (``widths``: column widths
    in characters, or ``None``). Rows are written as they are read."""
    workbook = Workbook(write_only=True)
    for title, headers, rows, widths in sheets:
        worksheet = workbook.create_sheet(title=str(title)[:31])
        for index, width in enumerate(widths or (), start=1):
            worksheet.column_dimensions[get_column_letter(index)].width = width
        worksheet.freeze_panes = "A2"
        worksheet.append([xlsx_cell(worksheet, str(header), bold=True) for header in headers])
        for row in rows:
            worksheet.append([xlsx_cell(worksheet, value) for value in row])
    workbook.save(target)


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
