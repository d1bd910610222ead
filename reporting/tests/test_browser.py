"""In headless Chromium (Debian's ``/usr/bin/chromium``, driven by Playwright):
a manager opens the dashboard (the Chart.js chart draws), requests a report,
watches the status update by itself (htmx polling) and downloads a valid XLSX.

The task is held back so the page is seen waiting, then built while the page
polls. Without Chromium this test fails (the workspace's browser test does the
same): it is deselected only with ``-m "not browser"``.
"""

import io
import os
from pathlib import Path

import pytest
from openpyxl import load_workbook

from reporting.models import ReportRequest
from reporting.services import report_build
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
        context = browser.new_context(locale="en-GB", viewport={"width": 1280, "height": 900}, accept_downloads=True)
        page = context.new_page()
        page.set_default_timeout(15_000)
        try:
            yield page
        finally:
            context.close()
            browser.close()


@pytest.mark.browser
def test_manager_dashboard_and_report_download(
    transactional_db, live_server, page, hand_counted, manager_user, media_root, monkeypatch
):
    queued = []
    monkeypatch.setattr("reporting.services._enqueue", queued.append)  # held back: built below
    base = live_server.url
    device = enrol_authenticator(manager_user)
    page.goto(f"{base}/accounts/login/")
    page.get_by_label("Username").fill(manager_user.username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.get_by_label("Code").fill(totp_code(device))  # managers sign in with a second factor
    page.get_by_role("button", name="Continue").click()
    page.wait_for_url(f"{base}/")

    page.goto(f"{base}/reporting/?quarter=2019Q1")
    card = page.locator('.figure-card[data-figure="employment_rate"]')
    assert "3 / 7" in card.inner_text()
    page.wait_for_function("() => window.Chart && Chart.getChart('trend-chart') !== undefined")

    # The numerator opens the duos it counts.
    card.get_by_role("link", name="3", exact=True).click()
    banner = page.locator('[data-figure="employment_rate"][data-part="numerator"]')
    assert "3 duos" in banner.inner_text()
    page.go_back()

    page.get_by_role("link", name="Request a report").click()
    page.get_by_label("Quarter").select_option("2019Q1")
    page.get_by_role("button", name="Request the report").click()
    status = page.locator(".report-status")
    assert status.get_attribute("hx-trigger") == "every 2s"

    report_build(report_request_id=queued[0])  # the worker's turn, while the page polls
    download_link = page.get_by_role("link", name="Download")
    download_link.wait_for()
    with page.expect_download() as download_info:
        download_link.click()
    workbook = load_workbook(io.BytesIO(Path(download_info.value.path()).read_bytes()))
    assert workbook.sheetnames == ["Summary", "Money", "Outcomes", "Duos", "Notes"]
    assert ReportRequest.objects.get().pk == queued[0]
