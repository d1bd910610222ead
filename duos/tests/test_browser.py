"""End to end in headless Chromium (Debian's ``/usr/bin/chromium``, driven by
Playwright): a coordinator logs in, starts a duo, logs two meetings from the
duo page (htmx), closes the duo with a CDI and finds it among the closed duos;
a second meeting on one day is confirmed in the page, and a closure corrected.
Screenshots of the main pages go to ``artifacts/screenshots/`` (git-ignored).

Without Chromium this test fails: it is part of the definition of done.
"""

import datetime
import os
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import timezone

from tests.factories import (
    PASSWORD,
    DuoFactory,
    MenteeFactory,
    MentorFactory,
    MigrationBackgroundFactory,
    ProgrammeFactory,
)
from tests.two_factor import enrol_authenticator, totp_code

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
SCREENSHOTS = Path(settings.BASE_DIR) / "artifacts" / "screenshots"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--headless",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture
def browser_page(monkeypatch):
    if not os.access(CHROMIUM, os.X_OK):
        yield None  # the test itself fails (a failure, not a setup error or a skip)
        return
    # Playwright's sync API runs an event loop in this thread; the test's own
    # ORM calls are still synchronous and safe.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        context = browser.new_context(locale="en-GB", viewport={"width": 1280, "height": 900})
        page = context.new_page()
        page.set_default_timeout(15_000)
        try:
            yield page
        finally:
            context.close()
            browser.close()


def shot(page, name):
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)


def log_in(page, base_url, username, authenticator=None):
    page.goto(f"{base_url}/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    if authenticator is not None:  # staff sign in with a second factor
        page.get_by_label("Code").fill(totp_code(authenticator))
        page.get_by_role("button", name="Continue").click()
    page.wait_for_url(f"{base_url}/")


@pytest.mark.browser
def test_coordinator_runs_a_duo_from_start_to_cdi(
    transactional_db, live_server, browser_page, coordinator_a, staff_user, partner_a
):
    if browser_page is None:
        pytest.fail(f"Chromium is required for the browser test and was not found at {CHROMIUM}")
    page = browser_page
    base = live_server.url
    today = timezone.localdate()
    start = today - datetime.timedelta(days=60)
    programme = ProgrammeFactory(
        partner=partner_a, name="DUO for a JOB", mentee_min_age=18, mentee_max_age=33, mentor_min_age=50
    )
    MentorFactory(partner=partner_a, first_name="Marc", last_name="Dupont", birth_date=datetime.date(1958, 2, 1))
    mentee = MenteeFactory(
        partner=partner_a,
        first_name="Amina",
        last_name="Benali",
        jobseeker_number="2018042",
        birth_date=datetime.date(today.year - 25, 1, 1),
        gender="f",
    )
    MigrationBackgroundFactory(mentee=mentee)

    page.goto(f"{base}/accounts/login/")
    shot(page, "01-login")
    log_in(page, base, "coord-a")
    shot(page, "02-home-coordinator")

    from playwright.sync_api import expect

    # A namesake already in an active duo is not available: the picker never offers her.
    busy = MenteeFactory(partner=partner_a, first_name="Amina", last_name="Benalí", jobseeker_number="2018043")
    DuoFactory(programme=programme, mentee=busy, mentor=MentorFactory(partner=partner_a))

    # Start a duo: type two names (without accents), choose from the people found.
    page.get_by_role("link", name="Start a duo").first.click()
    page.get_by_label("Programme").select_option(label=programme.name)
    page.get_by_label("Find a mentor by name").fill("dupont")
    mentor_select = page.locator("#id_mentor")
    mentor_option = "Dupont, Marc · 1958 · Example SA"
    expect(page.locator("#mentor-picker-status")).to_have_text("1 person found.")
    expect(mentor_select.locator("option")).to_have_text(["---------", mentor_option])
    mentor_select.select_option(label=mentor_option)
    page.get_by_label("Find a mentee by name or job-seeker number").fill("amina benali")
    mentee_select = page.locator("#id_mentee")
    mentee_option = f"Benali, Amina · {today.year - 25} · 2018042"
    expect(page.locator("#mentee-picker-status")).to_have_text("1 person found.")
    expect(mentee_select.locator("option")).to_have_text(["---------", mentee_option])  # not the busy namesake
    mentee_select.select_option(label=mentee_option)
    page.get_by_label("Start date").fill(start.isoformat())
    shot(page, "03-duo-create")
    page.get_by_role("button", name="Start the duo").click()
    page.wait_for_url("**/duos/*/")
    assert page.get_by_text("Marc Dupont & Amina Benali started.").is_visible()
    duo_url = page.url

    # Log two meetings without leaving the page (htmx swaps the section).
    for days_after_start, note in ((7, "Getting to know each other"), (21, "CV review")):
        day = start + datetime.timedelta(days=days_after_start)
        section = page.locator("#meetings")
        section.get_by_label("Date").fill(day.isoformat())
        section.get_by_label("Duration (minutes)").fill("90")
        section.get_by_label("Place").select_option(value="public_place")
        section.get_by_label("Note").fill(note)
        section.get_by_role("button", name="Log the meeting").click()
        page.locator("#meetings .alert-success").wait_for()
        assert page.url == duo_url
        page.locator(".meeting-timeline").get_by_text(note).wait_for()
    assert page.locator(".meeting-timeline li").count() == 2
    shot(page, "04-duo-detail-meetings")

    # A rule broken in the form is reported next to the field, without a reload.
    page.locator("#meetings").get_by_label("Date").fill((today + datetime.timedelta(days=3)).isoformat())
    page.locator("#meetings").get_by_label("Place").select_option(value="online")
    page.locator("#meetings").get_by_role("button", name="Log the meeting").click()
    page.get_by_text(
        "A meeting cannot be in the future.", exact=True
    ).wait_for()  # beside the field (and in the summary)
    assert page.locator(".meeting-timeline li").count() == 2

    # Close the duo with a CDI.
    page.get_by_role("link", name="Close the duo").click()
    page.get_by_label("Closure date").fill(today.isoformat())
    page.get_by_label("Reason").select_option(value="early_job")
    page.locator("#id_outcome_type").select_option(value="job")
    page.get_by_label("Contract type").select_option(value="cdi")
    page.get_by_label("Job start date").fill(today.isoformat())
    page.get_by_label("Employer").fill("Brussels Airport")
    shot(page, "05-duo-close")
    page.get_by_role("button", name="Close the duo").click()
    page.wait_for_url(duo_url)
    assert page.get_by_text("Permanent contract (CDI)").is_visible()
    shot(page, "06-duo-closed")

    # The duo is in the list of closed duos.
    page.get_by_role("navigation", name="Main navigation").get_by_role("link", name="Duos").click()
    page.locator("#id_status").select_option(value="closed")
    page.get_by_role("button", name="Filter").click()
    page.wait_for_url("**status=closed**")
    row = page.locator("tbody tr").filter(has_text="Amina Benali")
    assert row.count() == 1
    assert "Closed" in row.inner_text()
    assert "Salaried job" in row.inner_text()
    shot(page, "07-duo-list-closed")

    page.get_by_role("navigation", name="Main navigation").get_by_role("link", name="Mentees").click()
    shot(page, "08-mentee-list")
    page.get_by_role("link", name="Benali, Amina").click()
    shot(page, "09-mentee-detail")

    # The same pages in French and Dutch.
    for language in ("fr", "nl"):
        page.goto(duo_url)
        page.locator("#lang-select").select_option(value=language)
        page.wait_for_function(f"document.documentElement.lang === '{language}'")
        shot(page, f"10-duo-detail-{language}")

    # Staff: read-only view of the partner's records.
    page.get_by_role("button", name="coord-a").click()
    page.locator("form[action='/accounts/logout/'] button").click()
    page.wait_for_url("**/accounts/login/**")
    page.locator("#lang-select").select_option(value="en")
    page.wait_for_function("document.documentElement.lang === 'en'")
    log_in(page, base, "staff", authenticator=enrol_authenticator(staff_user))
    shot(page, "11-home-staff")
    page.goto(f"{base}/partners/")
    shot(page, "12-partner-list")
    page.goto(duo_url)
    assert page.get_by_role("link", name="Close the duo").count() == 0
    shot(page, "13-duo-detail-staff")


@pytest.mark.browser
def test_second_meeting_of_a_day_and_a_corrected_closure(transactional_db, live_server, browser_page, coordinator_a):
    """The same-day question comes in the htmx section and the ticked box records
    the meeting; a 2,000-character note without spaces wraps instead of
    widening the page; a closure is corrected with a reason shown on the duo."""
    if browser_page is None:
        pytest.fail(f"Chromium is required for the browser test and was not found at {CHROMIUM}")
    from duos.services import duo_close
    from tests.factories import DuoFactory

    page = browser_page
    base = live_server.url
    today = timezone.localdate()
    duo = DuoFactory(
        programme=ProgrammeFactory(partner=coordinator_a.membership.partner, name="Team4Job"),
        start_date=today - datetime.timedelta(days=40),
    )
    log_in(page, base, "coord-a")
    page.goto(f"{base}/duos/{duo.pk}/")
    section = page.locator("#meetings")
    for attempt in range(2):
        section.get_by_label("Date").fill(today.isoformat())
        section.get_by_label("Place").select_option(value="online")
        section.get_by_label("Note").fill("x" * 2000)
        section.get_by_role("button", name="Log the meeting").click()
        if attempt == 0:
            page.locator(".meeting-timeline li").first.wait_for()
    page.locator("#meetings strong").get_by_text("This duo already has a meeting on").wait_for()
    assert page.locator(".meeting-timeline li").count() == 1
    section.get_by_label("Yes, record a second meeting on this day").check()
    section.get_by_role("button", name="Log the meeting").click()
    page.locator(".meeting-timeline li").nth(1).wait_for()
    assert page.evaluate("document.documentElement.scrollWidth") <= 1280  # the notes wrap
    shot(page, "20-same-day-meetings")

    duo_close(duo=duo, end_date=today, reason="early_mentee", outcome_type="none")
    page.goto(f"{base}/duos/{duo.pk}/")
    page.get_by_role("link", name="Correct the closure").click()
    page.locator("#id_reason").select_option(value="early_mentor")
    page.get_by_label("Reason for the correction").fill("The mentor withdrew, not the mentee.")
    page.get_by_role("button", name="Save the correction").click()
    page.wait_for_url(f"{base}/duos/{duo.pk}/")
    page.get_by_text("The mentor withdrew, not the mentee.").wait_for()
    assert page.get_by_text("Ended early: mentor withdrew").is_visible()
    shot(page, "21-closure-corrected")
