"""In headless Chromium (Debian's ``/usr/bin/chromium``, driven by Playwright):
a manager publishes 2019Q1, a coordinator then corrects the closure of one of
the quarter's duos with a reason, and the manager finds the quarter marked
"Restated" on the dashboard, with the published and the current employment
rate and the coordinator's reason.

Without Chromium this test fails (as the other browser tests do): it is
deselected only with ``-m "not browser"``.
"""

import os

import pytest

from duos.models import Duo
from reporting.models import PublicationStatus, PublishedReport
from tests.factories import PASSWORD
from tests.two_factor import enrol_authenticator, totp_code

from .factories import day

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
REASON = "The mentee turned the job down before starting."


@pytest.fixture
def browser(monkeypatch):
    if not os.access(CHROMIUM, os.X_OK):
        pytest.fail(f"Chromium is required for the browser test and was not found at {CHROMIUM}")
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--headless"])
        try:
            yield browser
        finally:
            browser.close()


def signed_in_page(browser, base, username, device=None):
    """A page of a new browser context (its own session) signed in as ``username``."""
    context = browser.new_context(locale="en-GB", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.on("dialog", lambda dialog: dialog.accept())  # "Publish this quarter?"
    page.goto(f"{base}/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    if device is not None:  # managers sign in with a second factor
        page.get_by_label("Code").fill(totp_code(device))
        page.get_by_role("button", name="Continue").click()
    page.wait_for_url(f"{base}/")
    return page


@pytest.mark.browser
def test_manager_publishes_coordinator_corrects_manager_sees_the_restatement(
    transactional_db, live_server, browser, hand_counted, manager_user, coordinator_a, partner_a
):
    base = live_server.url
    manager = signed_in_page(browser, base, manager_user.username, enrol_authenticator(manager_user))
    manager.goto(f"{base}/reporting/?quarter=2019Q1")
    manager.get_by_role("link", name="Published quarters").click()
    manager.get_by_role("combobox", name="Quarter").select_option("2019Q1")
    manager.get_by_role("button", name="Publish").click()
    manager.get_by_text("2019Q1 is published.").wait_for()
    assert PublishedReport.objects.get().status == PublicationStatus.PUBLISHED
    manager.goto(f"{base}/reporting/?quarter=2019Q1")
    assert "its figures have not changed since" in manager.locator('[data-role="published-note"]').inner_text()

    coordinator = signed_in_page(browser, base, coordinator_a.username)
    duo = Duo.objects.get(partner=partner_a, end_date=day("2019-02-15"))  # closed with a CDI
    coordinator.goto(f"{base}/duos/{duo.pk}/")
    coordinator.get_by_role("link", name="Correct the closure").click()
    coordinator.locator("#id_reason").select_option(value="early_mentee")
    coordinator.locator("#id_outcome_type").select_option(value="none")
    coordinator.get_by_label("Reason for the correction").fill(REASON)
    coordinator.get_by_role("button", name="Save the correction").click()
    coordinator.wait_for_url(f"{base}/duos/{duo.pk}/")
    coordinator.get_by_text(REASON).wait_for()

    manager.goto(f"{base}/reporting/?quarter=2019Q1")
    restatement = manager.locator('[data-role="restatement"]')
    assert "Restated" in restatement.inner_text()
    total = restatement.locator('tr[data-scope="total"][data-figure="employment_rate"]')
    assert "(3 / 7)" in total.locator('[data-role="published"]').inner_text()
    assert "(2 / 7)" in total.locator('[data-role="current"]').inner_text()
    corrections = restatement.locator('[data-role="corrections"]').inner_text()
    assert REASON in corrections and "Closure corrected" in corrections and coordinator_a.username in corrections
