"""The whole round trip: a coordinator downloads the template, fills 1,000
rows with a few mistakes, sees them in the preview, fixes them and imports
the file; the same records come back out through the list exports, and the
exported files import again without changing anything."""

import csv
import datetime
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from duos.models import Duo, Meeting, Mentee, Mentor, Outcome
from imports.models import ImportRequest, ImportStatus
from tests.factories import ProgrammeFactory

from .files import upload

pytestmark = pytest.mark.django_db

MENTORS = MENTEES = DUOS = 160
MEETINGS_PER_DUO = 3  # 480 meetings
OUTCOMES = 40  # 160 + 160 + 160 + 480 + 40 = 1,000 rows


def fill(template, rows):
    """Write ``rows`` (``{sheet index: [[cell, ...]]}``) under the line of rules."""
    workbook = load_workbook(io.BytesIO(template))
    for index, records in rows.items():
        worksheet = workbook.worksheets[index]
        for number, record in enumerate(records, start=3):
            for column, value in enumerate(record, start=1):
                worksheet.cell(row=number, column=column, value=value)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def thousand_rows():
    """Sheets in the template's order: 2 Mentors, 3 Mentees, 4 Duos, 5 Meetings, 6 Outcomes."""
    first = datetime.date(2018, 1, 8)
    mentors = [
        [f"M-{n}", "Anne", f"Mentor {n}", datetime.date(1960, 1, 1) + datetime.timedelta(days=n), "Female"]
        for n in range(MENTORS)
    ]
    mentees = [
        [f"{20000000 + n}", "Sami", f"Mentee {n}", datetime.date(1994, 1, 1) + datetime.timedelta(days=n), "Male"]
        for n in range(MENTEES)
    ]
    duos, meetings, outcomes = [], [], []
    for n in range(DUOS):
        start = first + datetime.timedelta(days=n)
        duos.append([f"D-{n}", "Job Duo", f"M-{n}", f"{20000000 + n}", start])
        for m in range(MEETINGS_PER_DUO):
            meetings.append([f"D-{n}", f"{m + 1}", start + datetime.timedelta(days=7 * (m + 1)), 60, "Online"])
        if n < OUTCOMES:
            outcomes.append(
                [
                    f"D-{n}",
                    start + datetime.timedelta(days=182),
                    "Completed the planned term",
                    "Salaried job",
                    "Fixed-term contract (CDD)",
                    6,
                ]
            )
    return {2: mentors, 3: mentees, 4: duos, 5: meetings, 6: outcomes}


def test_a_thousand_rows_with_mistakes_fixed_then_imported_come_back_out(
    client, coordinator_a, partner_a, eager_tasks, django_capture_on_commit_callbacks
):
    ProgrammeFactory(partner=partner_a, name="Job Duo", slug="job-duo", max_active_duos_per_mentor=1)
    client.force_login(coordinator_a)
    template = client.get(reverse("imports:template"), {"language": "en"}).content
    rows = thousand_rows()
    assert sum(len(records) for records in rows.values()) == 1000
    rows[2][10][3] = "31/02/1960"  # no such day
    rows[4][20][2] = "M-999"  # no such mentor
    rows[5][30][3] = "1,5"  # a decimal comma in minutes

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("imports:import_create"), {"file": upload(fill(template, rows), "year.xlsx")})
    preview = ImportRequest.objects.get()
    assert preview.status == ImportStatus.PREVIEWED and preview.total_rows == 1000
    page = client.get(response.url).content.decode()
    errors = [(e["sheet"], e["row"], e["column"]) for e in preview.errors]
    assert ("Mentors", 13, "Birth date") in errors
    assert ("Duos", 23, "Mentor reference") in errors
    assert ("Meetings", 33, "Duration (minutes)") in errors
    assert "Import these records" not in page and "Fix them in your file" in page
    assert Mentor.objects.count() == 0

    rows[2][10][3] = "28/02/1960"
    rows[4][20][2] = "M-20"
    rows[5][30][3] = 90
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("imports:import_create"), {"file": upload(fill(template, rows), "fixed.xlsx")})
    fixed = ImportRequest.objects.latest("pk")
    assert fixed.errors == [] and fixed.totals["create"] == 1000
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("imports:import_confirm", args=[fixed.pk]))
    fixed.refresh_from_db()
    assert fixed.status == ImportStatus.IMPORTED
    assert [Mentor.objects.count(), Mentee.objects.count(), Duo.objects.count()] == [160, 160, 160]
    assert [Meeting.objects.count(), Outcome.objects.count()] == [480, 40]

    # The same records come back out through the list exports.
    exported = client.get(reverse("duos:duo_export"), {"format": "csv"})
    lines = list(csv.DictReader(io.StringIO(b"".join(exported.streaming_content).decode("utf-8-sig")), delimiter=";"))
    assert len(lines) == 160
    by_reference = {line["Reference"]: line for line in lines}
    assert by_reference["D-20"]["Mentor reference"] == "M-20"
    assert by_reference["D-20"]["Mentee's job-seeker number"] == "20000020"
    assert by_reference["D-20"]["Start date"] == "28/01/2018"
    assert by_reference["D-3"]["Outcome"] == "Salaried job" and by_reference["D-3"]["Contract length (months)"] == "6"
    assert by_reference["D-100"]["Status"] == "Active" and by_reference["D-100"]["Meetings held"] == "3"
    meetings = client.get(
        reverse("duos:meeting_export", args=[Duo.objects.get(reference="D-10").pk]), {"format": "xlsx"}
    )
    sheet = load_workbook(io.BytesIO(b"".join(meetings.streaming_content))).active
    assert [row[1] for row in sheet.iter_rows(min_row=2, values_only=True)] == ["3", "2", "1"]
    assert sheet.cell(row=4, column=4).value == 90  # the fixed duration of D-10's first meeting

    # Exported lists, imported again, change nothing.
    for url_name in ("duos:mentor_export", "duos:mentee_export", "duos:duo_export"):
        for file_format in ("xlsx", "csv"):
            content = b"".join(client.get(reverse(url_name), {"format": file_format}).streaming_content)
            with django_capture_on_commit_callbacks(execute=True):
                client.post(reverse("imports:import_create"), {"file": upload(content, f"export.{file_format}")})
            again = ImportRequest.objects.latest("pk")
            assert again.errors == [], (url_name, file_format, again.errors[:3])
            assert again.totals["create"] == again.totals["update"] == 0, (url_name, file_format)
            assert again.totals["unchanged"] == 160
