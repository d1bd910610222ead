"""The import pages as a coordinator and staff use them."""

import datetime
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from duos.models import Duo, Meeting, Mentee, Mentor, Outcome
from imports.models import ImportRequest, ImportStatus
from imports.services import PROGRESS_KEY

from .files import (
    csv_sheet,
    filled_template,
    header_labels,
    mentee_row,
    mentor_row,
    small_file_rows,
    upload,
)

pytestmark = pytest.mark.django_db


def record_counts():
    return [model.objects.count() for model in (Mentor, Mentee, Duo, Meeting, Outcome)]


def post_file(client, content, name="records.xlsx", **data):
    return client.post(reverse("imports:import_create"), {"file": upload(content, name), **data})


@pytest.mark.parametrize(
    ("language", "sheet", "header"),
    [("fr", "Mentorés", "Date de naissance"), ("nl", "Mentees", "Geboortedatum"), ("en", "Mentees", "Birth date")],
)
def test_the_template_in_three_languages(client, coordinator_a, programme_a, language, sheet, header):
    client.force_login(coordinator_a)

    response = client.get(reverse("imports:template"), {"language": language})

    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    workbook = load_workbook(io.BytesIO(response.content))
    assert sheet in workbook.sheetnames
    assert workbook[sheet]["D1"].value == header
    rules = workbook.worksheets[4]["B2"].value  # Read me, the hidden lists, Mentors, Mentees, Duos
    assert "Job Duo" in rules  # the coordinator's programmes are listed under their column


def test_upload_preview_then_import(client, coordinator_a, programme_a, convention_a):
    client.force_login(coordinator_a)

    response = post_file(client, filled_template(small_file_rows()))

    import_request = ImportRequest.objects.get()
    assert response.status_code == 302 and response.url == import_request.get_absolute_url()
    assert (
        import_request.status == ImportStatus.PREVIEWED and import_request.partner == coordinator_a.membership.partner
    )
    assert record_counts() == [0, 0, 0, 0, 0]
    page = client.get(response.url)
    assert page.status_code == 200
    assert "10 records to create and 0 to update" in page.content.decode()
    assert "Import these records" in page.content.decode()

    response = client.post(reverse("imports:import_confirm", args=[import_request.pk]), follow=True)

    import_request.refresh_from_db()
    assert import_request.status == ImportStatus.IMPORTED
    assert record_counts() == [2, 2, 2, 3, 1]
    assert not import_request.file  # the uploaded file holds personal data: deleted once imported
    assert "The file was imported." in response.content.decode()


def test_preview_lists_every_error_with_sheet_row_and_column(client, coordinator_a, programme_a, convention_a):
    client.force_login(coordinator_a)
    rows = small_file_rows()
    rows["mentors"][1]["birth_date"] = "31/02/1960"
    rows["meetings"][0]["duration_minutes"] = 900

    response = post_file(client, filled_template(rows))
    page = client.get(response.url).content.decode()

    import_request = ImportRequest.objects.get()
    assert [(e["sheet"], e["row"], e["column"]) for e in import_request.errors] == [
        ("Mentors", 4, "Birth date"),
        ("Duos", 4, "Mentor reference"),
        ("Meetings", 3, "Duration (minutes)"),
        ("Meetings", 5, "Duo reference"),
    ]
    assert "The file has 4 errors: nothing will be written." in page
    assert "A meeting lasts from 1 to 480 minutes (8 hours)." in page
    assert "Import these records" not in page
    confirm = client.post(reverse("imports:import_confirm", args=[import_request.pk]), follow=True)
    assert "This file cannot be imported" in confirm.content.decode()
    assert record_counts() == [0, 0, 0, 0, 0]


def _fifty_megabytes():
    return filled_template({"mentors": [mentor_row("M-1")]}) + b"\0" * (50 * 1024 * 1024)


BAD_FILES = [
    ("not-a-spreadsheet", lambda: b"%PDF-1.7 minutes of the board", "minutes.xlsx", "neither an Excel workbook"),
    ("zero-bytes", lambda: b"", "empty.csv", "The file is empty."),
    ("headers-only", lambda: csv_sheet("mentors", []), "mentors.csv", "no rows to import"),
    (
        "renamed-column",
        lambda: csv_sheet("mentors", [mentor_row("M-1")], headers=["Ref", *header_labels("mentors")[1:]]),
        "mentors.csv",
        "“Ref” is not a column of the template",
    ),
    (
        "missing-column",
        lambda: csv_sheet("mentors", [mentor_row("M-1")], headers=header_labels("mentors")[:3]),
        "mentors.csv",
        "the column “Birth date” is missing",
    ),
    ("fifty-megabytes", _fifty_megabytes, "big.xlsx", "larger than 10 MB"),
]


@pytest.mark.parametrize(
    ("content", "name", "message"), [case[1:] for case in BAD_FILES], ids=[c[0] for c in BAD_FILES]
)
def test_a_bad_file_gets_its_message_and_nothing_is_stored(client, coordinator_a, programme_a, content, name, message):
    client.force_login(coordinator_a)

    response = post_file(client, content(), name)

    assert response.status_code == 200
    assert message in response.content.decode()
    assert not ImportRequest.objects.exists()
    assert record_counts() == [0, 0, 0, 0, 0]


CURIOUS_FILES = [
    (
        "latin-1-with-semicolons",
        lambda: csv_sheet(
            "mentors", [mentor_row("M-1", first_name="Hélène")], language="fr", delimiter=";", encoding="cp1252"
        ),
        "This CSV file is not in UTF-8: it was read as Windows-1252 (Latin-1)",
    ),
    (
        "day-first-dates",
        lambda: csv_sheet("mentors", [mentor_row("M-1", birth_date="31/12/1965")]),
        "Read as a CSV file in UTF-8, columns separated by commas (,).",
    ),
    (
        "excel-day-numbers",
        lambda: filled_template({"mentors": [mentor_row("M-1", birth_date=24107)]}),
        "1 date was written as a number (Excel&#x27;s day number",
    ),
]


@pytest.mark.parametrize(
    ("content", "message"), [case[1:] for case in CURIOUS_FILES], ids=[c[0] for c in CURIOUS_FILES]
)
def test_a_file_read_with_care_says_how_and_writes_nothing_before_confirmation(
    client, coordinator_a, programme_a, content, message
):
    client.force_login(coordinator_a)

    response = post_file(client, content(), "mentors.csv")
    page = client.get(response.url).content.decode()

    assert message in page
    assert "Import these records" in page
    assert record_counts() == [0, 0, 0, 0, 0]
    client.post(reverse("imports:import_confirm", args=[ImportRequest.objects.get().pk]))
    assert Mentor.objects.filter(reference="M-1").exists()


def test_staff_import_for_a_partner_they_choose(client, staff_user, partner_a, programme_a):
    client.force_login(staff_user)

    response = post_file(client, filled_template({"mentors": [mentor_row("M-1")]}))
    assert response.status_code == 200 and "This field is required." in response.content.decode()

    response = post_file(client, filled_template({"mentors": [mentor_row("M-1")]}), partner=partner_a.pk)

    import_request = ImportRequest.objects.get()
    assert import_request.partner == partner_a and import_request.requested_by == staff_user
    client.post(reverse("imports:import_confirm", args=[import_request.pk]))
    assert Mentor.objects.get(reference="M-1").partner == partner_a


def test_a_coordinator_imports_for_their_own_partner_only(client, coordinator_a, partner_b, programme_a):
    client.force_login(coordinator_a)

    post_file(client, filled_template({"mentors": [mentor_row("M-1")]}), partner=partner_b.pk)

    assert ImportRequest.objects.get().partner == coordinator_a.membership.partner


def test_another_partners_import_is_404(client, coordinator_a, coordinator_b, programme_a):
    client.force_login(coordinator_a)
    post_file(client, filled_template({"mentors": [mentor_row("M-1")]}))
    import_request = ImportRequest.objects.get()

    client.force_login(coordinator_b)

    assert client.get(import_request.get_absolute_url()).status_code == 404
    assert client.post(reverse("imports:import_confirm", args=[import_request.pk])).status_code == 404
    assert Mentor.objects.count() == 0


def test_only_the_uploader_confirms(client, coordinator_a, staff_user, programme_a):
    client.force_login(coordinator_a)
    post_file(client, filled_template({"mentors": [mentor_row("M-1")]}))
    import_request = ImportRequest.objects.get()

    client.force_login(staff_user)
    assert client.get(import_request.get_absolute_url()).status_code == 200
    assert client.post(reverse("imports:import_confirm", args=[import_request.pk])).status_code == 403
    assert Mentor.objects.count() == 0


def test_discard_deletes_the_file(client, coordinator_a, programme_a, media_root):
    client.force_login(coordinator_a)
    post_file(client, filled_template({"mentors": [mentor_row("M-1")]}))
    import_request = ImportRequest.objects.get()
    path = import_request.file.path

    client.post(reverse("imports:import_discard", args=[import_request.pk]))

    import_request.refresh_from_db()
    assert import_request.status == ImportStatus.DISCARDED and not import_request.file
    assert not (media_root / path).exists()


def test_records_changed_since_the_preview_are_caught_and_nothing_is_written(client, coordinator_a, programme_a):
    client.force_login(coordinator_a)
    post_file(client, filled_template({"mentors": [mentor_row("M-1")], "mentees": [mentee_row("10000001")]}))
    import_request = ImportRequest.objects.get()
    # Meanwhile someone records a duo that makes the mentor's new birth date impossible... here simply a mentee
    # with the same number, entered by hand, whose duo the new birth date would make too young.
    from tests.factories import DuoFactory, MenteeFactory

    mentee = MenteeFactory(
        partner=programme_a.partner, jobseeker_number="10000001", birth_date=datetime.date(1990, 1, 1)
    )
    DuoFactory(programme=programme_a, mentee=mentee, start_date=datetime.date(2005, 9, 1))

    client.post(reverse("imports:import_confirm", args=[import_request.pk]))

    import_request.refresh_from_db()
    assert import_request.status == ImportStatus.PREVIEWED and import_request.errors
    assert import_request.errors[0]["column"] == "Birth date"
    assert not Mentor.objects.filter(reference="M-1").exists()  # all or nothing


def test_a_large_file_runs_in_the_background_with_a_progress_bar(
    client, coordinator_a, programme_a, settings, eager_tasks, django_capture_on_commit_callbacks
):
    from django.core.cache import cache

    settings.IMPORT_SYNC_MAX_ROWS = 2
    client.force_login(coordinator_a)
    content = filled_template({"mentors": [mentor_row(f"M-{n}") for n in range(3)]})

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = post_file(client, content)
    import_request = ImportRequest.objects.get()
    assert import_request.status == ImportStatus.PENDING and len(callbacks) == 1

    cache.set(PROGRESS_KEY % import_request.pk, (1, 3))
    page = client.get(response.url).content.decode()
    assert '<progress class="import-progress" max="100" value="33"' in page
    assert "1 of 3 rows" in page

    callbacks[0]()  # the broker hands the request to a worker (eager here)
    import_request.refresh_from_db()
    assert import_request.status == ImportStatus.PREVIEWED and import_request.totals["create"] == 3
    progress = client.get(reverse("imports:import_progress", args=[import_request.pk]), HTTP_HX_REQUEST="true")
    assert progress["HX-Refresh"] == "true"  # the page reloads to show the preview

    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("imports:import_confirm", args=[import_request.pk]))
    import_request.refresh_from_db()
    assert import_request.status == ImportStatus.IMPORTED and Mentor.objects.count() == 3


def test_the_list_of_imports(client, coordinator_a, coordinator_b, programme_a):
    client.force_login(coordinator_a)
    post_file(client, filled_template({"mentors": [mentor_row("M-1")]}), "mine.xlsx")
    client.force_login(coordinator_b)
    post_file(client, filled_template({"mentors": [mentor_row("M-1")]}), "theirs.xlsx")

    client.force_login(coordinator_a)
    page = client.get(reverse("imports:import_list")).content.decode()

    assert "mine.xlsx" in page and "theirs.xlsx" not in page


def test_the_data_protection_officer_imports_nothing(client, dpo_user):
    client.force_login(dpo_user)
    assert client.get(reverse("imports:import_create")).status_code == 403


def test_check_again_in_another_language(client, coordinator_a, programme_a):
    client.force_login(coordinator_a)
    post_file(client, filled_template({"mentors": [mentor_row("M-1", gender="Robot")]}))
    import_request = ImportRequest.objects.get()
    assert import_request.errors[0]["message"].startswith("Robot is not one of")

    client.cookies["django_language"] = "fr"
    page = client.get(import_request.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert "Le fichier a été vérifié en" in page
    client.post(reverse("imports:import_recheck", args=[import_request.pk]), HTTP_ACCEPT_LANGUAGE="fr")

    import_request.refresh_from_db()
    assert import_request.language == "fr" and import_request.status == ImportStatus.PREVIEWED
    assert import_request.errors[0]["message"].startswith("Robot n'est pas l'une des valeurs")
    assert import_request.errors[0]["column"] == "Genre"
