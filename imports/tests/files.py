"""Build files to upload: the real template filled in, or a CSV sheet."""

import csv
import datetime
import io

from django.utils import translation
from openpyxl import load_workbook

from imports.sheets import SHEETS
from imports.template import build_template


def header_labels(kind, language="en"):
    with translation.override(language):
        return [str(column.label) for column in SHEETS[kind].columns]


def filled_template(rows, *, language="en", partner=None):
    """The template in ``language`` with ``rows`` (``{kind: [{column key:
    value}]}``) written under the line of rules, as XLSX bytes."""
    workbook = load_workbook(io.BytesIO(build_template(language=language, partner=partner)))
    with translation.override(language):
        for kind, records in rows.items():
            sheet = SHEETS[kind]
            worksheet = workbook[str(sheet.title)[:31]]
            for number, record in enumerate(records, start=3):
                for index, column in enumerate(sheet.columns, start=1):
                    worksheet.cell(row=number, column=index, value=record.get(column.key))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def csv_sheet(kind, records, *, language="en", delimiter=",", encoding="utf-8", headers=None):
    """One sheet as CSV bytes; ``headers`` replaces the template's (to test renamed columns)."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter, lineterminator="\r\n")
    keys = [column.key for column in SHEETS[kind].columns]
    writer.writerow(headers or header_labels(kind, language))
    for record in records:
        writer.writerow(["" if record.get(key) is None else record.get(key) for key in keys])
    return out.getvalue().encode(encoding)


def upload(content, name):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, content)


def mentor_row(reference, **values):
    return {
        "reference": reference,
        "first_name": "Anne",
        "last_name": f"Mentor {reference}",
        "birth_date": datetime.date(1960, 5, 17),
        "gender": "Female",
        "employer": "Example SA",
        **values,
    }


def mentee_row(number, **values):
    return {
        "jobseeker_number": number,
        "first_name": "Sami",
        "last_name": f"Mentee {number}",
        "birth_date": datetime.date(1995, 3, 9),
        "gender": "Male",
        "education_level": "Upper secondary",
        **values,
    }


def duo_row(reference, mentor, mentee, start=datetime.date(2018, 9, 3), **values):
    return {
        "reference": reference,
        "programme": "Job Duo",
        "mentor_reference": mentor,
        "mentee_jobseeker_number": mentee,
        "start_date": start,
        **values,
    }


def meeting_row(duo, reference, date, **values):
    return {
        "duo_reference": duo,
        "reference": reference,
        "date": date,
        "duration_minutes": 60,
        "place": "Mentor's workplace",
        **values,
    }


def outcome_row(duo, end_date, **values):
    return {
        "duo_reference": duo,
        "end_date": end_date,
        "closure_reason": "Completed the planned term",
        "outcome_type": "Salaried job",
        "contract_type": "Permanent contract (CDI)",
        **values,
    }


def small_file_rows():
    """Two mentors, two mentees, two duos (one closed with a CDI), three meetings."""
    return {
        "mentors": [mentor_row("M-1"), mentor_row("M-2", first_name="Bruno", gender="Male")],
        "mentees": [mentee_row("10000001"), mentee_row("10000002", first_name="Lina", gender="Female")],
        "duos": [
            duo_row("D-1", "M-1", "10000001", convention="regional-2018"),
            duo_row("D-2", "M-2", "10000002", start=datetime.date(2019, 1, 7)),
        ],
        "meetings": [
            meeting_row("D-1", "1", datetime.date(2018, 9, 10)),
            meeting_row("D-1", "2", datetime.date(2018, 9, 24), note="CV reviewed"),
            meeting_row("D-2", "1", datetime.date(2019, 1, 14), place="Online"),
        ],
        "outcomes": [outcome_row("D-1", datetime.date(2019, 3, 1))],
    }


def follow_up_row(duo, months, date, **values):
    return {
        "duo_reference": duo,
        "offset_months": months,
        "date": date,
        "situation": "Salaried job",
        "contract_type": "Permanent contract (CDI)",
        "same_job": "Yes",
        **values,
    }
