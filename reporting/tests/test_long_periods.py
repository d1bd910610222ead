"""Long periods through the pages, on the database the suite runs on
(SQLite, and PostgreSQL in CI): the dashboard for 2013-2026 and for
2000-2099, and a report requested for 2013-2019, on the hand-counted duos of
2019Q1 and the hand-counted follow-ups of 2019Q2. Each says the same as the
selectors for the same scope."""

import datetime
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from followups.tests.hand_counted import build_hand_counted_follow_ups
from reporting.exporters import QuarterlyXlsxExporter
from reporting.figures import Period, figure_keys
from reporting.models import ReportRequest, ReportStatus
from reporting.selectors import ReportScope, figure_set_for_user

pytestmark = pytest.mark.django_db

DASHBOARD = reverse("reporting:dashboard")


def _period(date_from, date_to):
    return Period(datetime.date.fromisoformat(date_from), datetime.date.fromisoformat(date_to))


def _parts(figures):
    return {key: None if f is None else (f.numerator, f.denominator, f.value) for key, f in figures.items()}


@pytest.fixture
def long_history(hand_counted, partner_a, partner_b):
    build_hand_counted_follow_ups(partner_a, partner_b)


@pytest.mark.parametrize(("date_from", "date_to"), [("2013-01-01", "2026-12-31"), ("2000-01-01", "2099-12-31")])
def test_dashboard_over_long_periods(client, long_history, manager_user, date_from, date_to):
    client.force_login(manager_user)
    response = client.get(DASHBOARD, {"date_from": date_from, "date_to": date_to})
    assert response.status_code == 200
    assert not response.context["form"].errors
    assert response.context["period"] == _period(date_from, date_to)
    expected = figure_set_for_user(manager_user, ReportScope(period=_period(date_from, date_to)))
    assert _parts(response.context["figures"].total) == _parts(expected.total)
    total = response.context["figures"].total
    assert total["duos_started"].numerator == expected.total["duos_started"].numerator > 12
    # Every follow-up of the hand-counted duos falls due in such a period.
    assert total["retention_6"].denominator > 0 and total["follow_up_completion"].denominator > 0
    cards = {card["key"]: card for card in response.context["follow_up_cards"]}
    assert cards["follow_up_completion"]["figure"] == total["follow_up_completion"]


def test_report_for_2013_to_2019(
    client, long_history, manager_user, media_root, eager_tasks, django_capture_on_commit_callbacks
):
    client.force_login(manager_user)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("reporting:report_create"),
            {
                "date_from": "2013-01-01",
                "date_to": "2019-12-31",
                "format": "xlsx",
                "rounding": "half-up",
                "budget_basis": "days",
                "language": "en",
            },
        )
    assert response.status_code == 302
    report_request = ReportRequest.objects.get()
    assert report_request.status == ReportStatus.DONE, report_request.error
    download = client.get(reverse("reporting:report_download", args=[report_request.pk]))
    assert download.status_code == 200
    summary = load_workbook(io.BytesIO(b"".join(download.streaming_content)))["Summary"]
    total = figure_set_for_user(manager_user, ReportScope(period=_period("2013-01-01", "2019-12-31"))).total
    total_column = QuarterlyXlsxExporter.SUMMARY_FIRST_COLUMN + 3 * 2  # after partners A and B
    for key in ("duos_started", "employment_rate", "retention_12", "follow_up_completion"):
        row = QuarterlyXlsxExporter.SUMMARY_FIRST_ROW + figure_keys().index(key)
        assert summary.cell(row, total_column).value == total[key].numerator, key
        assert summary.cell(row, total_column + 1).value == total[key].denominator, key
    assert total["follow_up_completion"].denominator > 0
