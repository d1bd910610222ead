"""In headless Chromium: a staff member signs in with a password and lands on
the second step, not the dashboard; the code from the app lets them in; no page
on the way breaks the Content-Security-Policy; the language switch works
without inline script."""

import os

import pytest

from tests.factories import PASSWORD
from tests.two_factor import enrol_authenticator, totp_code

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")


@pytest.fixture
def page(monkeypatch):
    if not os.access(CHROMIUM, os.X_OK):
        pytest.fail(f"Chromium is required for the browser test and was not found at {CHROMIUM}")
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--headless"])
        context = browser.new_context(locale="en-GB", viewport={"width": 1280, "height": 900})
        page = context.new_page()
        page.set_default_timeout(15_000)
        try:
            yield page
        finally:
            context.close()
            browser.close()


@pytest.mark.browser
def test_staff_password_alone_reaches_the_second_step(transactional_db, live_server, page, staff_user, settings):
    settings.LANGUAGE_CODE = "en"
    violations = []
    page.on("console", lambda message: "Content Security Policy" in message.text and violations.append(message.text))
    device = enrol_authenticator(staff_user)
    base = live_server.url

    page.goto(f"{base}/reporting/")
    page.get_by_label("Username").fill(staff_user.username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url("**/accounts/two-factor/**")
    assert page.get_by_role("heading", name="Second step of sign-in").is_visible()
    page.goto(f"{base}/reporting/")  # the dashboard stays closed
    page.wait_for_url("**/accounts/two-factor/**")

    page.get_by_label("Code").fill(totp_code(device))
    page.get_by_role("button", name="Continue").click()
    page.wait_for_url(f"{base}/reporting/")
    page.wait_for_function("() => window.Chart && Chart.getChart('trend-chart') !== undefined")

    page.get_by_label("Language").select_option("fr")  # submits by itself (static/js/app.js)
    page.wait_for_load_state("load")
    page.wait_for_function("() => document.documentElement.lang === 'fr'")
    assert violations == []
