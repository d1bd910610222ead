"""Accessibility of the main pages of every persona, in headless Chromium.

axe-core (tests/axe.py) finds no serious or critical WCAG 2.1 AA violation on
them in English, nor on a sample in French and Dutch (whose <html lang> says
so); the keyboard's focus is visible on every element it reaches; after a
failed submit the focus is on the error summary, whose links lead to their
fields; a figure's definition opens by keyboard and by touch; sortable
headers say their state; the list's pages are numbered; the duo page prints
without navigation, buttons or forms. Screenshots go to
``artifacts/screenshots/accessibility/`` (git-ignored).
"""

import datetime
import os

import pytest
from django.conf import settings
from django.utils import timezone

from duos.tests.test_browser import CHROMIUM, CHROMIUM_ARGS, SCREENSHOTS
from reporting.models import ReportRequest
from tests.axe import assert_accessible, assert_focus_visible
from tests.factories import (
    PASSWORD,
    DuoFactory,
    FundingConventionFactory,
    MeetingFactory,
    OutcomeFactory,
    ProgrammeFactory,
)
from tests.two_factor import enrol_authenticator, totp_code

pytestmark = [pytest.mark.browser]

SHOTS = SCREENSHOTS / "accessibility"


@pytest.fixture
def browser(monkeypatch):
    if not os.access(CHROMIUM, os.X_OK):
        pytest.fail(f"Chromium is required for the browser tests and was not found at {CHROMIUM}")
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    SHOTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        try:
            yield chromium
        finally:
            chromium.close()


def new_page(browser, base_url, language="en", **options):
    context = browser.new_context(locale="en-GB", viewport={"width": 1280, "height": 900}, **options)
    context.add_cookies([{"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "url": base_url}])
    page = context.new_page()
    page.set_default_timeout(15_000)
    return page


def open_page(page, url, language="en"):
    page.goto(url)
    page.wait_for_load_state("networkidle")
    assert page.evaluate("document.documentElement.lang") == language
    assert page.locator("main#main").count() == 1, f"{url} is not a page of the application"


def check(page, name, language="en"):
    """axe-core on the page as it is, then a screenshot."""
    assert_accessible(page, f"{name} ({language})")
    page.screenshot(path=str(SHOTS / f"{name}-{language}.png"), full_page=True)


def wait_for_focus_on_error_summary(page):
    """The page's script has moved the focus to the error summary (it runs
    once the page is parsed, or once htmx has swapped a form in)."""
    page.wait_for_function("() => document.activeElement && document.activeElement.hasAttribute('data-error-summary')")


def log_in(page, base_url, username, authenticator=None, language="en"):
    open_page(page, f"{base_url}/accounts/login/", language)
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill(PASSWORD)
    page.locator("main form button[type=submit]").click()
    if authenticator is not None:
        page.wait_for_url("**/two-factor/**")
        page.wait_for_load_state("networkidle")
        check(page, "two-factor", language)
        page.locator("#id_token").fill(totp_code(authenticator))
        page.locator("main form button[type=submit]").first.click()
    page.wait_for_url(f"{base_url}/")


@pytest.fixture
def records(partner_a):
    """A partner's year: 30 duos (two pages of the duo list), some closed this
    quarter with outcomes (figures on the dashboard), some closed three months
    ago (follow-ups due), meetings."""
    today = timezone.localdate()
    programme = ProgrammeFactory(partner=partner_a, name="DUO for a JOB")
    convention = FundingConventionFactory(
        name="Convention 2018-2030", period_start=datetime.date(2018, 1, 1), period_end=datetime.date(2030, 12, 31)
    )
    duos = []
    for index in range(30):
        start = today - datetime.timedelta(days=100 + 7 * index)
        duo = DuoFactory(programme=programme, convention=convention, start_date=start)
        MeetingFactory(duo=duo, date=start + datetime.timedelta(days=7))
        if index % 3 == 1:  # closed today: the current quarter's figures
            duo.status, duo.end_date, duo.closure_reason = "closed", today, "completed"
            duo.save()
            OutcomeFactory(duo=duo)
        elif index % 3 == 2 and index > 20:  # closed three months ago: follow-up due
            end = today - datetime.timedelta(days=92)
            duo.status, duo.end_date, duo.closure_reason = "closed", end, "early_job"
            duo.save()
            OutcomeFactory(duo=duo, recorded_on=end)
        duos.append(duo)
    return duos


def test_login_page_in_three_languages(transactional_db, live_server, browser):
    for language in ("en", "fr", "nl"):
        page = new_page(browser, live_server.url, language)
        open_page(page, f"{live_server.url}/accounts/login/", language)
        check(page, "login", language)
        assert_focus_visible(page)
        # A failed sign-in: the error summary has the focus.
        page.locator("#id_username").fill("nobody")
        page.locator("#id_password").fill("wrong-password")
        with page.expect_navigation():
            page.locator("main form button[type=submit]").click()
        wait_for_focus_on_error_summary(page)
        check(page, "login-error", language)
        page.context.close()


def test_coordinator_pages(transactional_db, live_server, browser, coordinator_a, records):
    base = live_server.url
    page = new_page(browser, base)
    log_in(page, base, "coord-a")
    active = records[0]
    closed = next(duo for duo in records if duo.status == "closed")
    pages = {
        "home-coordinator": "/",
        "duo-list": "/duos/",
        "duo-detail-active": active.get_absolute_url(),
        "duo-detail-closed": closed.get_absolute_url(),
        "duo-form": "/duos/new/",
        "duo-close": f"/duos/{active.pk}/close/",
        "duo-closure-correct": f"/duos/{closed.pk}/closure/correct/",
        "duo-reopen": f"/duos/{closed.pk}/reopen/",
        "duo-cancel": f"/duos/{active.pk}/cancel/",
        "mentee-list": "/mentees/",
        "mentee-form": "/mentees/new/",
        "mentee-detail": active.mentee.get_absolute_url(),
        "mentor-list": "/mentors/",
        "mentor-form": "/mentors/new/",
        "follow-ups-due": "/follow-ups/",
        "programme-list": "/programmes/",
    }
    for name, path in pages.items():
        open_page(page, base + path)
        check(page, name)
        assert_focus_visible(page)

    # The duo list: sortable headers say their state; pages are numbered.
    open_page(page, f"{base}/duos/?o=start")
    header = page.locator("th[aria-sort]")
    assert header.count() == 1 and header.get_attribute("aria-sort") == "ascending"
    assert "select to sort descending" in header.inner_text()
    assert page.locator("th:not([aria-sort]) a.sort-link").count() >= 5
    numbers = page.get_by_role("navigation", name="Pages")
    assert numbers.get_by_role("link", name="Page 1 of 2").get_attribute("aria-current") == "page"
    assert numbers.get_by_role("link", name="Page 2", exact=True).count() == 1
    # Sorting by keyboard keeps the focus on the header.
    page.locator("a.sort-link[data-sort-key=start]").focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.locator("th[aria-sort]").get_attribute("aria-sort") == "descending"
    assert page.evaluate("document.activeElement.dataset.sortKey") == "start"
    numbers.get_by_role("link", name="Page 2", exact=True).click()
    page.wait_for_url("**page=2**")
    assert numbers.get_by_role("link", name="Page 2 of 2").get_attribute("aria-current") == "page"

    # A failed submit: the focus is on the error summary, which lists every
    # error; its link leads to the field.
    open_page(page, f"{base}/duos/new/")
    with page.expect_navigation():
        page.get_by_role("button", name="Start the duo").click()
    summary = page.locator("[data-error-summary]")
    wait_for_focus_on_error_summary(page)
    assert summary.get_by_role("link").count() == 3  # programme, mentor, mentee
    check(page, "duo-form-errors")
    summary.get_by_role("link", name="Mentor: This field is required.").click()
    assert page.evaluate("document.activeElement.id") == "id_mentor"

    # The meeting form on the duo page (htmx): its errors too take the focus.
    open_page(page, base + active.get_absolute_url())
    page.locator("#meetings").get_by_label("Date").fill("")
    page.locator("#meetings").get_by_role("button", name="Log the meeting").click()
    wait_for_focus_on_error_summary(page)
    assert page.locator("#meetings [data-error-summary]").count() == 1
    check(page, "duo-detail-meeting-errors")

    # The duo page on paper: the record without the navigation, buttons and forms.
    open_page(page, base + closed.get_absolute_url())
    page.emulate_media(media="print")
    assert not page.locator("nav.navbar").is_visible()
    assert not page.get_by_role("button", name="Print").is_visible()
    assert page.locator("h1").is_visible()
    assert page.locator(".meeting-timeline").is_visible()
    assert page.get_by_text("Personal data of a job seeker").is_visible()
    page.pdf(path=str(SHOTS / "duo-detail-print.pdf"), format="A4")
    page.set_viewport_size({"width": 680, "height": 1000})
    page.screenshot(path=str(SHOTS / "duo-detail-print.png"), full_page=True)
    page.emulate_media(media="screen")
    assert page.get_by_role("button", name="Print").is_visible()

    # A sample in French and Dutch.
    for language in ("fr", "nl"):
        page = new_page(browser, base, language)
        log_in(page, base, "coord-a", language=language)
        for name, path in (
            ("home-coordinator", "/"),
            ("duo-list", "/duos/?o=-start"),
            ("duo-detail-closed", closed.get_absolute_url()),
            ("duo-form", "/duos/new/"),
        ):
            open_page(page, base + path, language)
            check(page, name, language)
        with page.expect_navigation():
            page.locator("main form button[type=submit]").click()
        wait_for_focus_on_error_summary(page)
        check(page, "duo-form-errors", language)
        page.context.close()


def test_staff_pages_and_figure_definitions(transactional_db, live_server, browser, staff_user, records):
    base = live_server.url
    # A touch screen: definitions must open with a tap, not only a hover.
    page = new_page(browser, base, has_touch=True)
    log_in(page, base, "staff", authenticator=enrol_authenticator(staff_user))
    for name, path in (
        ("home-staff", "/"),
        ("dashboard", "/reporting/"),
        ("partner-list", "/partners/"),
        ("programme-list-staff", "/programmes/"),
        ("convention-list", "/conventions/"),
        ("duo-list-staff", "/duos/"),
        ("double-enrolments", "/duos/double-enrolments/"),
    ):
        open_page(page, base + path)
        check(page, name)
        assert_focus_visible(page, presses=25)

    open_page(page, f"{base}/reporting/")
    assert page.locator("[title]").count() == 0  # no definition only a mouse can reach
    definitions = page.locator("details[data-definition]")
    assert definitions.count() >= 10
    employment = page.locator("th").filter(has_text="Employment rate").first.locator("details[data-definition]")
    body = employment.locator(".figure-definition-body")
    # In the page for screen readers; its button is named after the figure.
    assert "salaried job" in body.text_content()
    assert employment.get_by_text("How “Employment rate” is counted").count() == 1
    # Keyboard: Enter opens, Escape closes and gives the focus back.
    employment.locator("summary").focus()
    page.keyboard.press("Enter")
    assert body.is_visible()
    page.screenshot(path=str(SHOTS / "dashboard-definition-keyboard-en.png"))
    check(page, "dashboard-definition-open")
    page.keyboard.press("Escape")
    assert not body.is_visible()
    assert page.evaluate("document.activeElement.tagName") == "SUMMARY"
    # Touch: a tap opens it, a tap elsewhere closes it.
    employment.locator("summary").tap()
    assert body.is_visible()
    page.locator("h1").tap()
    assert not body.is_visible()
    # It opens below its button, inside the window, also at the table's far end.
    for details in (definitions.first, definitions.last):
        details.locator("summary").click()
        button = details.locator("summary").bounding_box()
        box = details.locator(".figure-definition-body").bounding_box()
        assert box["y"] >= button["y"] + button["height"] - 1
        assert box["x"] <= button["x"] and box["x"] + box["width"] >= button["x"] + button["width"] - 1
        assert box["x"] >= 0 and box["x"] + box["width"] <= 1280

    for language in ("fr", "nl"):
        page.context.add_cookies([{"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "url": base}])
        open_page(page, f"{base}/reporting/", language)
        check(page, "dashboard", language)


def test_manager_reports(transactional_db, live_server, browser, manager_user, records):
    base = live_server.url
    page = new_page(browser, base)
    log_in(page, base, "manager", authenticator=enrol_authenticator(manager_user))
    open_page(page, f"{base}/reporting/reports/new/")
    check(page, "report-form")
    assert_focus_visible(page)
    page.get_by_role("button", name="Request the report").click()
    page.wait_for_load_state("networkidle")
    assert ReportRequest.objects.count() == 1
    open_page(page, f"{base}/reporting/reports/")
    check(page, "report-list")


def test_manager_published_quarter_and_restatement(transactional_db, live_server, browser, manager_user, records):
    """The published quarters' list, a publication, and the dashboard of a
    restated quarter (a closure corrected after publication)."""
    from duos.services import duo_closure_correct
    from reporting.figures import Period
    from reporting.publishing import quarter_publish

    closed = next(duo for duo in records if duo.closure_reason == "early_job")
    quarter = Period.quarter_of(closed.end_date).quarter_label
    publication = quarter_publish(user=manager_user, quarter=quarter, language="en")
    duo_closure_correct(
        duo=closed,
        end_date=closed.end_date,
        reason="early_job",
        outcome_type="training",
        correction_reason="A training, not a job.",
    )
    base = live_server.url
    page = new_page(browser, base)
    log_in(page, base, "manager", authenticator=enrol_authenticator(manager_user))
    open_page(page, f"{base}/reporting/published/")
    check(page, "published-list")
    assert_focus_visible(page)
    open_page(page, f"{base}/reporting/published/{publication.pk}/")
    check(page, "published-detail")
    for language in ("en", "fr", "nl"):
        page.context.add_cookies([{"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "url": base}])
        open_page(page, f"{base}/reporting/?quarter={quarter}", language)
        assert page.locator('[data-role="restatement"]').count() == 1
        check(page, "dashboard-restated", language)


def test_data_protection_officer_access_log(transactional_db, live_server, browser, dpo_user, coordinator_a, records):
    base = live_server.url
    page = new_page(browser, base)
    log_in(page, base, "coord-a")  # a coordinator's reads fill the access log
    open_page(page, base + records[0].mentee.get_absolute_url())
    page.context.close()
    page = new_page(browser, base)
    log_in(page, base, "dpo", authenticator=enrol_authenticator(dpo_user))
    open_page(page, f"{base}/audit/access-log/")
    assert page.locator("tbody tr").count() >= 1
    check(page, "access-log")
    assert_focus_visible(page)
