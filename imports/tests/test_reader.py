"""Reading files: what is understood, and the message of each file that is not."""

import datetime
import io
import zipfile

import pytest
from openpyxl import Workbook, load_workbook

from imports.reader import FileRejected, read_spreadsheet

from .files import csv_sheet, filled_template, header_labels, mentee_row, mentor_row


def read(content, **kwargs):
    return read_spreadsheet(io.BytesIO(content), **kwargs)


def rejected(content, **kwargs):
    with pytest.raises(FileRejected) as caught:
        read(content, **kwargs)
    return caught.value.messages


def test_the_template_in_each_language_reads_back(db):
    for language in ("fr", "nl", "en"):
        parsed = read(filled_template({"mentors": [mentor_row("M-1")]}, language=language))
        assert list(parsed.sheets) == ["mentors"]
        row = parsed.rows("mentors")[0]
        assert row.number == 3  # under the header and the line of rules
        assert row.values["reference"] == "M-1" and row.values["gender"] == "f"
        assert not row.errors


def test_a_template_left_empty_is_refused(db):
    assert rejected(filled_template({})) == [
        "The file has no rows to import: fill in the rows under the headers (and the line of rules)."
    ]


@pytest.mark.parametrize(
    "content",
    [b"%PDF-1.4 a report", b"\x89PNG\r\n\x1a\n....", b"\x00\x01\x02\x03binary\x00" * 50],
    ids=["pdf", "png", "binary"],
)
def test_not_a_spreadsheet(content):
    assert rejected(content) == [
        "This file is neither an Excel workbook (.xlsx) nor a CSV file. Upload the template, filled in."
    ]


def test_an_old_xls_file():
    assert "old Excel file (.xls)" in rejected(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100)[0]


def test_a_zip_that_is_not_a_workbook():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("word/document.xml", "<w/>")
    assert rejected(buffer.getvalue()) == [
        "This file is neither an Excel workbook (.xlsx) nor a CSV file. Upload the template, filled in."
    ]


def test_an_opendocument_spreadsheet():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        archive.writestr("content.xml", "<office/>")
    assert "OpenDocument spreadsheet (.ods)" in rejected(buffer.getvalue())[0]


def test_a_workbook_that_unpacks_to_too_much(settings):
    settings.IMPORT_MAX_UNPACKED_MB = 1
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/workbook.xml", "<workbook/>")
        archive.writestr("xl/worksheets/sheet1.xml", " " * (2 * 1024 * 1024))
    assert len(buffer.getvalue()) < 100_000
    assert "larger than" in rejected(buffer.getvalue())[0]


@pytest.mark.parametrize("content", [b"", b"   \r\n\r\n"], ids=["zero-bytes", "blank-lines"])
def test_an_empty_file(content):
    assert rejected(content) == ["The file is empty."]


def test_a_csv_with_headers_only():
    assert "no rows to import" in rejected(csv_sheet("mentors", []))[0]


def test_a_renamed_column_is_named_with_a_suggestion(db):
    headers = header_labels("mentors")
    headers[3] = "Birthdate"
    messages = rejected(csv_sheet("mentors", [mentor_row("M-1")], headers=headers))
    assert messages == [
        "Sheet “Mentors”, column 4: “Birthdate” is not a column of the template. Did you mean “Birth date”?",
        "Sheet “Mentors”: the column “Birth date” is missing (it may have been renamed).",
    ]


def test_a_missing_column(db):
    workbook = load_workbook(io.BytesIO(filled_template({"mentees": [mentee_row("1234567")]})))
    workbook["Mentees"].delete_cols(4)  # Birth date
    buffer = io.BytesIO()
    workbook.save(buffer)
    assert rejected(buffer.getvalue()) == [
        "Sheet “Mentees”: the column “Birth date” is missing (it may have been renamed)."
    ]


def test_an_optional_column_may_be_left_out(db):
    headers = header_labels("mentors")[:4]
    content = "\r\n".join([",".join(headers), "M-1,Anne,Martin,1960-01-02"]).encode()
    parsed = read(content)
    assert parsed.sheets["mentors"].present == ("reference", "first_name", "last_name", "birth_date")
    assert not parsed.rows("mentors")[0].errors


def test_a_sheet_that_is_not_the_templates(db):
    workbook = load_workbook(io.BytesIO(filled_template({"mentors": [mentor_row("M-1")]})))
    workbook.create_sheet("My notes")["A1"] = "to do"
    buffer = io.BytesIO()
    workbook.save(buffer)
    assert rejected(buffer.getvalue())[0].startswith("The sheet “My notes” is not a sheet of the template.")


def test_a_csv_whose_headers_are_no_sheet():
    assert "none of the template's column headers" in rejected(b"name,age\r\nAnne,60\r\n")[0]


def test_values_under_no_header(db):
    content = csv_sheet("mentors", [mentor_row("M-1")]).replace(b"\r\nM-1", b"\r\nM-1", 1)
    lines = content.split(b"\r\n")
    lines[1] += b",stray"
    assert "a column without a header" in rejected(b"\r\n".join(lines))[0]


def test_a_latin1_csv_with_semicolons_from_excel(db):
    record = mentor_row("M-1", first_name="Hélène", last_name="Çelik-Dubœuf")
    content = csv_sheet("mentors", [record], language="fr", delimiter=";", encoding="cp1252")
    with pytest.raises(UnicodeDecodeError):
        content.decode("utf-8")

    parsed = read(content)

    row = parsed.rows("mentors")[0]
    assert (row.values["first_name"], row.values["last_name"]) == ("Hélène", "Çelik-Dubœuf")
    assert parsed.encoding == "Windows-1252 (Latin-1)" and parsed.delimiter == ";" and parsed.decoded_as_legacy


def test_a_utf8_csv_with_its_byte_order_mark(db):
    content = b"\xef\xbb\xbf" + csv_sheet("mentors", [mentor_row("M-1", first_name="Zoë")], delimiter=";")
    row = read(content).rows("mentors")[0]
    assert row.values["first_name"] == "Zoë" and row.values["reference"] == "M-1"


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        ("31/12/1965", datetime.date(1965, 12, 31)),
        ("31.12.1965", datetime.date(1965, 12, 31)),
        ("31-12-1965", datetime.date(1965, 12, 31)),
        ("1965-12-31", datetime.date(1965, 12, 31)),
        ("24107", datetime.date(1965, 12, 31)),  # Excel's day number
        ("24107.0", datetime.date(1965, 12, 31)),
    ],
)
def test_dates_day_first_iso_or_excel_day_numbers(db, written, expected):
    parsed = read(csv_sheet("mentors", [mentor_row("M-1", birth_date=written)]))
    assert parsed.rows("mentors")[0].values["birth_date"] == expected


def test_an_excel_day_number_in_a_workbook_is_read_and_said(db):
    parsed = read(filled_template({"mentors": [mentor_row("M-1", birth_date=24107)]}))
    assert parsed.rows("mentors")[0].values["birth_date"] == datetime.date(1965, 12, 31)
    assert parsed.notes.serial_dates == 1
    assert parsed.notes.serial_examples[0][1:] == (24107, datetime.date(1965, 12, 31))


@pytest.mark.parametrize(
    ("written", "message"),
    [
        ("12/31/1965", "12/31/1965 is not a date: write it as 31/12/2019 (day/month/year) or as 2019-12-31."),
        ("31/12/65", "Write the year with four digits: 31/12/2019."),
        ("next week", "next week is not a date: write it as 31/12/2019 (day/month/year) or as 2019-12-31."),
        ("12", "12 is not a date: write it as 31/12/2019 (day/month/year) or as 2019-12-31."),
    ],
)
def test_dates_that_cannot_be_read(db, written, message):
    row = read(csv_sheet("mentors", [mentor_row("M-1", birth_date=written)])).rows("mentors")[0]
    assert row.errors == [("birth_date", message)]


@pytest.mark.parametrize(
    ("written", "expected"),
    [("90", 90), ("90,0", 90), ("90.0", 90), ("1,5", None), ("1.000", None), ("ninety", None)],
)
def test_whole_numbers_and_decimal_commas(db, written, expected):
    record = {"duo_reference": "D-1", "reference": "1", "date": "10/01/2019", "duration_minutes": written}
    record["place"] = "Online"
    row = read(csv_sheet("meetings", [record], delimiter=";")).rows("meetings")[0]
    if expected is None:
        assert row.errors == [
            ("duration_minutes", f"{written} is not a whole number: write digits only, for example 90.")
        ]
    else:
        assert row.values["duration_minutes"] == expected and not row.errors


def test_choices_in_any_language_and_case(db):
    rows = [
        mentee_row("1000001", gender="FEMME", education_level="hoger onderwijs, bachelor"),
        mentee_row("1000002", gender="x", education_level="enseignement superieur, BACHELIER"),
        mentee_row("1000003", gender="f", education_level="bachelor"),
    ]
    parsed = read(csv_sheet("mentees", rows))
    values = [(row.values["gender"], row.values["education_level"]) for row in parsed.rows("mentees")]
    assert values == [("f", "bachelor"), ("x", "bachelor"), ("f", "bachelor")]


def test_numbers_written_as_numbers_keep_their_digits(db):
    workbook = load_workbook(io.BytesIO(filled_template({"mentees": [mentee_row(12345678, phone=471234567)]})))
    buffer = io.BytesIO()
    workbook.save(buffer)
    row = read(buffer.getvalue()).rows("mentees")[0]
    assert row.values["jobseeker_number"] == "12345678" and row.values["phone"] == "471234567"


def test_a_protective_apostrophe_is_read_off(db):
    row = read(csv_sheet("mentors", [mentor_row("M-1", job_title="'=Director")])).rows("mentors")[0]
    assert row.values["job_title"] == "=Director"


def test_too_many_rows(settings, db):
    settings.IMPORT_MAX_ROWS = 3
    rows = [mentor_row(f"M-{n}") for n in range(4)]
    assert rejected(csv_sheet("mentors", rows)) == [
        "The file has more than 3 rows, the most an import takes. Split it into smaller files."
    ]


def test_a_required_cell_left_empty(db):
    row = read(csv_sheet("mentors", [mentor_row("M-1", last_name="")])).rows("mentors")[0]
    assert row.errors == [("last_name", "This column is required; the cell is empty.")]


def test_a_plain_workbook_without_the_line_of_rules(db):
    workbook = Workbook()
    worksheet = workbook.active
    worksheet.title = "Mentors"
    worksheet.append(header_labels("mentors"))
    worksheet.append(["M-1", "Anne", "Martin", datetime.datetime(1960, 1, 2), "Female"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    row = read(buffer.getvalue()).rows("mentors")[0]
    assert row.number == 2 and row.values["birth_date"] == datetime.date(1960, 1, 2)
