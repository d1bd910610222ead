"""End to end in headless Chromium: a coordinator downloads the template,
fills it with a few mistakes, reads them in the preview, fixes them, imports
the file and finds the records in the duo list's export. Screenshots go to
``artifacts/screenshots/`` (git-ignored)."""

import datetime

import pytest
from openpyxl import load_workbook

from duos.models import Duo, Meeting, Mentor
from duos.tests.test_browser import CHROMIUM, log_in, shot
from tests.axe import assert_accessible
from tests.factories import ProgrammeFactory

ROWS = 40


def fill(template, path, mistakes):
    """The downloaded ``template`` with ``ROWS`` mentors, mentees and duos and
    a meeting each, saved to ``path``; ``mistakes`` spoils three cells."""
    workbook = load_workbook(template)
    mentors, mentees, duos, meetings = workbook.worksheets[2:6]
    start = datetime.date(2019, 1, 7)
    for n in range(ROWS):
        mentors.append([f"M-{n}", "Anne", f"Mentor {n}", datetime.date(1962, 3, 1), "Female"])
        mentees.append([f"{40000000 + n}", "Sami", f"Mentee {n}", datetime.date(1996, 5, 4), "Male"])
        duos.append([f"D-{n}", "Job Duo", f"M-{n}", f"{40000000 + n}", start + datetime.timedelta(days=n)])
        meetings.append([f"D-{n}", "1", start + datetime.timedelta(days=n + 7), 60, "Online"])
    if mistakes:
        mentors.cell(row=7, column=4, value="31/02/1962")
        duos.cell(row=9, column=3, value="M-404")
        meetings.cell(row=11, column=4, value="1,5")
    workbook.save(path)


@pytest.mark.browser
def test_coordinator_imports_a_file_after_fixing_the_preview(
    transactional_db,
    live_server,
    browser_page,
    coordinator_a,
    partner_a,
    tmp_path,
    settings,
):
    if browser_page is None:
        pytest.fail(f"Chromium is required for the browser test and was not found at {CHROMIUM}")
    from mentoring.celery import app

    settings.MEDIA_ROOT = str(tmp_path / "media")
    eager, app.conf.task_always_eager = app.conf.task_always_eager, True
    ProgrammeFactory(partner=partner_a, name="Job Duo", slug="job-duo")
    page, base = browser_page, live_server.url
    try:
        log_in(page, base, "coord-a")
        page.get_by_role("navigation", name="Main navigation").get_by_role("link", name="Duos").click()
        page.get_by_role("link", name="Import", exact=True).click()
        page.wait_for_url("**/imports/")
        shot(page, "imports-01-list")
        assert_accessible(page, "import list")

        with page.expect_download() as download:
            page.get_by_role("link", name="English (XLSX)").click()
        template, filled = tmp_path / "template.xlsx", tmp_path / "records.xlsx"
        download.value.save_as(template)
        assert load_workbook(template).worksheets[2]["A1"].value == "Reference"

        fill(template, filled, mistakes=True)
        page.get_by_role("link", name="Upload a file").first.click()
        page.get_by_label("Spreadsheet").set_input_files(str(filled))
        shot(page, "imports-02-upload")
        assert_accessible(page, "upload form")
        page.get_by_role("button", name="Upload and preview").click()
        page.wait_for_url("**/imports/*/")
        page.get_by_text("The file has 6 errors: nothing will be written.").wait_for()
        errors = page.locator("table.import-errors tbody tr")
        assert errors.count() == 6  # three mistakes, and the rows that refer to them
        first = errors.nth(0).inner_text()
        assert "Mentors" in first and "7" in first and "Birth date" in first
        assert errors.filter(has_text="1,5 is not a whole number").count() == 1
        assert page.get_by_role("button", name="Import these records").count() == 0
        shot(page, "imports-03-preview-errors")
        assert_accessible(page, "preview with errors")
        for language in ("fr", "nl"):
            page.locator("#lang-select").select_option(value=language)
            page.wait_for_function(f"document.documentElement.lang === '{language}'")
            shot(page, f"imports-03-preview-errors-{language}")
        page.locator("#lang-select").select_option(value="en")
        page.wait_for_function("document.documentElement.lang === 'en'")
        assert Mentor.objects.count() == 0

        fill(template, filled, mistakes=False)
        page.get_by_role("link", name="Upload the corrected file").click()
        page.get_by_label("Spreadsheet").set_input_files(str(filled))
        page.get_by_role("button", name="Upload and preview").click()
        page.get_by_text(f"The file is ready: {4 * ROWS} records to create and 0 to update.").wait_for()
        shot(page, "imports-04-preview-ready")
        assert_accessible(page, "preview ready")
        page.get_by_role("button", name="Import these records").click()
        page.get_by_text("The file was imported.").wait_for()
        shot(page, "imports-05-imported")
        assert Duo.objects.count() == ROWS and Meeting.objects.count() == ROWS

        page.goto(f"{base}/duos/")
        page.get_by_role("button", name="Export").click()
        assert_accessible(page, "duo list with the export menu open")
        with page.expect_download() as download:
            page.get_by_role("link", name="Excel workbook (XLSX)").click()
        download.value.save_as(tmp_path / "duos.xlsx")
        exported = load_workbook(tmp_path / "duos.xlsx").active
        references = sorted(row[0] for row in exported.iter_rows(min_row=2, values_only=True))
        assert references == sorted(f"D-{n}" for n in range(ROWS))
        shot(page, "imports-06-duo-list-export")
    finally:
        app.conf.task_always_eager = eager
