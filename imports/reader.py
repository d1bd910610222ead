"""Reading an uploaded file into rows of the template's sheets.

XLSX workbooks are read with openpyxl (read-only mode: row by row, constant
memory); CSV files with Python's ``csv`` module after their encoding and
separator were worked out. A file that cannot be read as the template says
raises ``FileRejected`` with every reason found, in the user's language:
not a spreadsheet, an old ``.xls``, empty, too many rows, a sheet or a column
that is not the template's, a required column missing. Cells that do not hold
what their column expects are not file errors: they are listed per row
(``Row.errors``) and shown in the preview with the other errors.
"""

import codecs
import csv
import difflib
import io
import zipfile
from dataclasses import dataclass, field

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import load_workbook

from .cells import CellError, Notes, as_text, is_empty, labels_in_every_language, normalise
from .sheets import README_TITLE, SHEETS

XLSX, CSV = "xlsx", "csv"
# The template's hidden sheet of choice lists (data validation): never data.
LISTS_SHEET = "_lists"
RULE_PREFIXES = (gettext_lazy("Required."), gettext_lazy("Optional."))
_MISSING = object()


class FileRejected(Exception):
    """The file cannot be imported; ``messages`` say why (nothing is read)."""

    def __init__(self, messages):
        self.messages = [str(message) for message in messages]
        super().__init__("; ".join(self.messages))


@dataclass
class Row:
    kind: str
    number: int  # the row's number as the spreadsheet shows it (the header is row 1)
    values: dict = field(default_factory=dict)  # column key -> value, for the columns present
    errors: list = field(default_factory=list)  # [(column key, message)]


@dataclass
class SheetData:
    sheet: object  # sheets.Sheet
    name: str  # as written in the file
    present: tuple  # keys of the columns present
    rows: list


@dataclass
class ParsedFile:
    file_format: str
    sheets: dict  # kind -> SheetData, in the template's order
    notes: Notes
    encoding: str = ""
    delimiter: str = ""
    decoded_as_legacy: bool = False  # a CSV that was not UTF-8

    @property
    def total_rows(self):
        return sum(len(data.rows) for data in self.sheets.values())

    def rows(self, kind):
        data = self.sheets.get(kind)
        return data.rows if data else []

    def has_column(self, kind, key):
        data = self.sheets.get(kind)
        return data is not None and key in data.present


def max_file_size():
    return settings.IMPORT_MAX_FILE_SIZE_MB * 1024 * 1024


def read_spreadsheet(file, *, max_rows=None):
    """Read ``file`` (a binary file object, e.g. an ``UploadedFile``) into a
    ``ParsedFile``; raises ``FileRejected``. ``max_rows`` defaults to
    ``settings.IMPORT_MAX_ROWS``."""
    max_rows = settings.IMPORT_MAX_ROWS if max_rows is None else max_rows
    file.seek(0)
    head = file.read(8)
    file.seek(0)
    if not head:
        raise FileRejected([_("The file is empty.")])
    if head.startswith(b"PK\x03\x04"):
        return _read_xlsx(file, max_rows)
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        raise FileRejected(
            [
                _(
                    "This is an old Excel file (.xls). Open it in Excel, save it as “Excel workbook (.xlsx)” "
                    "and upload that."
                )
            ]
        )
    if head.startswith((b"%PDF", b"\x89PNG", b"\xff\xd8\xff", b"GIF8")):
        raise FileRejected([_not_a_spreadsheet()])
    return _read_csv(file, max_rows)


def _not_a_spreadsheet():
    return _("This file is neither an Excel workbook (.xlsx) nor a CSV file. Upload the template, filled in.")


# --- XLSX ------------------------------------------------------------------------------


def _read_xlsx(file, max_rows):
    try:
        archive = zipfile.ZipFile(file)
        names = set(archive.namelist())
        unpacked = sum(info.file_size for info in archive.infolist())
    except zipfile.BadZipFile as exc:
        raise FileRejected([_not_a_spreadsheet()]) from exc
    if "xl/workbook.xml" not in names:
        if "content.xml" in names and "mimetype" in names:
            raise FileRejected(
                [_("This is an OpenDocument spreadsheet (.ods). Save it as “Excel workbook (.xlsx)” and upload that.")]
            )
        raise FileRejected([_not_a_spreadsheet()])
    # A small archive can unpack to gigabytes (a "zip bomb"): refuse it unread.
    if unpacked > settings.IMPORT_MAX_UNPACKED_MB * 1024 * 1024:
        raise FileRejected([_too_big_message()])
    file.seek(0)
    try:
        workbook = load_workbook(file, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a damaged file
        raise FileRejected(
            [_("This workbook could not be read; it may be damaged. Open it in Excel, save it again and upload it.")]
        ) from exc
    try:
        return _read_workbook(workbook, max_rows)
    finally:
        workbook.close()


def _too_big_message():
    return _("The file is larger than %(size)s MB, the most an import takes. Split it into smaller files.") % {
        "size": settings.IMPORT_MAX_FILE_SIZE_MB
    }


def _sheet_by_name():
    lookup = {}
    for sheet in SHEETS.values():
        for name in sheet.names():
            lookup[name] = sheet
    return lookup


def _read_workbook(workbook, max_rows):
    by_name = _sheet_by_name()
    readme_names = {normalise(text) for text in labels_in_every_language(README_TITLE)} | {normalise(LISTS_SHEET)}
    notes = Notes()
    found, errors, total = {}, [], 0
    for worksheet in workbook.worksheets:
        name = worksheet.title
        if normalise(name) in readme_names:
            continue
        sheet = by_name.get(normalise(name))
        rows = iter(worksheet.iter_rows(values_only=True))
        if sheet is None:
            if _has_content(rows):
                errors.append(
                    _(
                        "The sheet “%(name)s” is not a sheet of the template. Rename it to one of: %(names)s, "
                        "or remove it."
                    )
                    % {"name": name, "names": _sheet_titles()}
                )
            continue
        if sheet.kind in found:
            errors.append(
                _("The workbook has two sheets of %(title)s: “%(first)s” and “%(second)s”. Keep one.")
                % {"title": sheet.title, "first": found[sheet.kind].name, "second": name}
            )
            continue
        header = next(rows, None)
        if header is None or all(is_empty(value) for value in header):
            if _has_content(rows):
                errors.append(
                    _("The first row of the sheet “%(name)s” is empty: it must hold the column headers.")
                    % {"name": name}
                )
            continue
        try:
            data = _read_sheet(sheet, name, header, rows, notes, max_rows - total)
        except FileRejected as exc:
            errors.extend(exc.messages)
            continue
        total += len(data.rows)
        if data.rows:  # a sheet of the template left empty is no part of the import
            found[sheet.kind] = data
    if errors:
        raise FileRejected(errors)
    parsed = ParsedFile(XLSX, _in_template_order(found), notes)
    _reject_if_empty(parsed)
    return parsed


def _has_content(rows):
    return any(not all(is_empty(value) for value in row) for row in rows)


def _sheet_titles():
    return ", ".join(f"“{sheet.title}”" for sheet in SHEETS.values())


def _in_template_order(found):
    return {kind: found[kind] for kind in SHEETS if kind in found}


def _reject_if_empty(parsed):
    if parsed.total_rows == 0:
        raise FileRejected(
            [_("The file has no rows to import: fill in the rows under the headers (and the line of rules).")]
        )


# --- one sheet -----------------------------------------------------------------------------


def _match_headers(sheet, header):
    """``(keys, problems)``: the column key of each header cell (``None`` for
    an empty or an ignored header) and what is wrong with the headers."""
    lookup = sheet.header_lookup()
    keys, problems, seen = [], [], {}
    for position, raw in enumerate(header, start=1):
        text = as_text(raw)
        if not text:
            keys.append(None)
            continue
        key = lookup.get(normalise(text), _MISSING)
        if key is _MISSING:
            keys.append(None)
            problems.append(("unknown", text, position))
            continue
        if key is not None and key in seen:
            problems.append(("twice", text, position))
            keys.append(None)
            continue
        if key is not None:
            seen[key] = position
        keys.append(key)
    for key in sheet.required_keys:
        if key not in seen:
            problems.append(("missing", str(sheet.column(key).label), None))
    return keys, problems


def _header_messages(sheet, name, problems):
    labels = [str(column.label) for column in sheet.columns]
    messages = []
    for problem, text, position in problems:
        if problem == "unknown":
            close = difflib.get_close_matches(text, labels, n=1, cutoff=0.6)
            if close:
                messages.append(
                    _(
                        "Sheet “%(sheet)s”, column %(position)s: “%(header)s” is not a column of the template. "
                        "Did you mean “%(suggestion)s”?"
                    )
                    % {"sheet": name, "position": position, "header": text, "suggestion": close[0]}
                )
            else:
                messages.append(
                    _(
                        "Sheet “%(sheet)s”, column %(position)s: “%(header)s” is not a column of the template. "
                        "Its columns are: %(columns)s."
                    )
                    % {"sheet": name, "position": position, "header": text, "columns": ", ".join(labels)}
                )
        elif problem == "twice":
            messages.append(
                _("Sheet “%(sheet)s”, column %(position)s: the column “%(header)s” appears twice.")
                % {"sheet": name, "position": position, "header": text}
            )
        else:
            messages.append(
                _("Sheet “%(sheet)s”: the column “%(header)s” is missing (it may have been renamed).")
                % {"sheet": name, "header": text}
            )
    return messages


def _is_rules_row(sheet, keys, row):
    """Whether ``row`` (the second one) is the template's line of rules."""
    cells = [(key, as_text(value)) for key, value in zip(keys, row, strict=False) if not is_empty(value)]
    if not cells:
        return False
    key, text = cells[0]
    if key is not None:
        column = sheet.column(key)
        rules = set()
        for code in ("fr", "nl", "en"):
            with translation.override(code):
                rules.add(normalise(column.rule_text()))
        if normalise(text) in rules:
            return True
    prefixes = {normalise(text) for label in RULE_PREFIXES for text in labels_in_every_language(label)}
    return all(any(normalise(text).startswith(prefix) for prefix in prefixes) for _key, text in cells)


def _read_sheet(sheet, name, header, rows, notes, rows_left):
    keys, problems = _match_headers(sheet, header)
    if problems:
        raise FileRejected(_header_messages(sheet, name, problems))
    labels = {column.key: str(column.label) for column in sheet.columns}
    # Cells under no header at all (not under a header that is ignored).
    blank = {position for position, raw in enumerate(header) if not as_text(raw)}
    data_rows, unlabelled = [], False
    for number, row in enumerate(rows, start=2):
        if all(is_empty(value) for value in row):
            continue
        if number == 2 and _is_rules_row(sheet, keys, row):
            continue
        if not unlabelled:
            unlabelled = any(
                not is_empty(value)
                for position, value in enumerate(row)
                if position in blank or position >= len(header)
            )
        if len(data_rows) >= rows_left:
            raise FileRejected([_too_many_rows_message()])
        data_rows.append(_read_row(sheet, keys, row, number, notes, name, labels))
    if unlabelled:
        raise FileRejected(
            [
                _(
                    "Sheet “%(sheet)s”: some cells hold values in a column without a header. Give it a header "
                    "or clear it."
                )
                % {"sheet": name}
            ]
        )
    return SheetData(sheet, name, tuple(key for key in keys if key is not None), data_rows)


def _too_many_rows_message():
    return _("The file has more than %(max)s rows, the most an import takes. Split it into smaller files.") % {
        "max": settings.IMPORT_MAX_ROWS
    }


def _read_row(sheet, keys, row, number, notes, name, labels):
    result = Row(kind=sheet.kind, number=number)
    for key, raw in zip(keys, row, strict=False):
        if key is None:
            continue
        column = sheet.column(key)
        if is_empty(raw):
            if column.required:
                result.errors.append((key, _("This column is required; the cell is empty.")))
            result.values[key] = None
            continue
        try:
            where = _("%(sheet)s, row %(row)s, %(column)s") % {"sheet": name, "row": number, "column": labels[key]}
            result.values[key] = column.cell.read(raw, notes, where)
        except CellError as exc:
            result.errors.append((key, exc.message))
    for key in keys[len(row) :]:  # a short row: the cells left out are empty
        if key is not None:
            result.values[key] = None
            if sheet.column(key).required:
                result.errors.append((key, _("This column is required; the cell is empty.")))
    return result


# --- CSV ---------------------------------------------------------------------------------------


def _decode(content):
    """``(text, encoding, legacy)``: UTF-8 (with or without its byte-order
    mark), UTF-16 with its mark (Excel's "Unicode text"), else Windows-1252,
    the "ANSI" Excel writes on a Windows set up for Belgium (``legacy``)."""
    if content.startswith(codecs.BOM_UTF8):
        return content[len(codecs.BOM_UTF8) :].decode("utf-8", errors="strict"), "UTF-8", False
    if content.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return content.decode("utf-16"), "UTF-16", False
    try:
        return content.decode("utf-8"), "UTF-8", False
    except UnicodeDecodeError:
        pass
    try:
        return content.decode("cp1252"), "Windows-1252 (Latin-1)", True
    except UnicodeDecodeError:
        return content.decode("latin-1"), "Latin-1", True


def _looks_binary(text):
    sample = text[:4096]
    controls = sum(1 for char in sample if ord(char) < 32 and char not in "\t\r\n")
    return "\x00" in sample or controls > len(sample) / 100


def _delimiter(first_line):
    counts = {delimiter: first_line.count(delimiter) for delimiter in (";", ",", "\t")}
    delimiter = max(counts, key=counts.get)
    return delimiter if counts[delimiter] else ","


DELIMITER_NAMES = {";": gettext_lazy("semicolons (;)"), ",": gettext_lazy("commas (,)"), "\t": gettext_lazy("tabs")}


def _read_csv(file, max_rows):
    content = file.read()
    try:
        text, encoding, legacy = _decode(content)
    except UnicodeDecodeError as exc:
        raise FileRejected([_not_a_spreadsheet()]) from exc
    if _looks_binary(text):
        raise FileRejected([_not_a_spreadsheet()])
    text = text.lstrip("\ufeff")
    if not text.strip():
        raise FileRejected([_("The file is empty.")])
    first_line = text.lstrip("\r\n").splitlines()[0]
    delimiter = _delimiter(first_line)
    try:
        rows = list(csv.reader(io.StringIO(text.lstrip("\r\n"), newline=""), delimiter=delimiter))
    except csv.Error as exc:
        raise FileRejected([_("This CSV file could not be read: %(reason)s.") % {"reason": exc}]) from exc
    header, body = rows[0], rows[1:]
    sheet, problems = _sheet_of_csv(header)
    if sheet is None:
        raise FileRejected(
            [
                _(
                    "The first line of this CSV file holds none of the template's column headers. A CSV file is "
                    "one sheet of the template (Mentors, Mentees, Duos, Meetings, Outcomes or Follow-ups) with its "
                    "headers on the first line."
                )
            ]
        )
    name = str(sheet.title)
    if problems:
        raise FileRejected(_header_messages(sheet, name, problems))
    notes = Notes()
    data = _read_sheet(sheet, name, header, iter(body), notes, max_rows)
    parsed = ParsedFile(
        CSV, {sheet.kind: data}, notes, encoding=encoding, delimiter=delimiter, decoded_as_legacy=legacy
    )
    _reject_if_empty(parsed)
    return parsed


def _sheet_of_csv(header):
    """The sheet whose headers these are, and what is wrong with them: the
    sheet with the fewest problems among those that know some header."""
    best = None
    for sheet in SHEETS.values():
        keys, problems = _match_headers(sheet, header)
        matched = sum(1 for key in keys if key is not None)
        if not matched:
            continue
        score = (len(problems), -matched)
        if best is None or score < best[0]:
            best = (score, sheet, problems)
    if best is None:
        return None, []
    return best[1], best[2]
