"""The dashboard's table per partner as a download (XLSX and CSV for Excel):
the same figures as the page, for the same filters, only what the user may see."""

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from audit.models import AccessLogEntry
from reporting.figures import Period
from reporting.selectors import ReportScope, figure_set_for_user

pytestmark = pytest.mark.django_db

EXPORT = reverse("reporting:dashboard_table_export")
Q1 = {"quarter": "2019Q1"}


def rows_of_xlsx(response):
    workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    return [list(row) for row in workbook.active.iter_rows(values_only=True)]


def test_staff_downloads_the_table_with_every_partner_and_the_total(client, hand_counted, staff_user):
    client.force_login(staff_user)
    response = client.get(EXPORT, {**Q1, "format": "xlsx"})
    assert response.status_code == 200
    assert 'filename="mentoring-2019Q1-all-partners-en-by-partner.xlsx"' in response["Content-Disposition"]
    header, *rows = rows_of_xlsx(response)
    assert header[:2] == ["Partner", "From"]
    assert "Employment rate: numerator" in header
    names = [row[0] for row in rows]
    assert names[:2] == ["Partner A", "Partner B"] and names[-1] == "Total"
    # The same numbers as the figures the page shows.
    figures = figure_set_for_user(staff_user, ReportScope(period=Period.quarter("2019Q1")))
    column = header.index("Employment rate: numerator")
    total = figures.total["employment_rate"]
    assert rows[-1][column : column + 2] == [total.numerator, total.denominator]
    assert AccessLogEntry.objects.filter(object_type="reporting.dashboard", user=staff_user).count() == 1


def test_csv_for_excel_in_french(client, hand_counted, manager_user):
    client.force_login(manager_user)
    client.cookies["django_language"] = "fr"
    response = client.get(EXPORT, {**Q1, "format": "csv"}, HTTP_ACCEPT_LANGUAGE="fr")
    assert response.status_code == 200
    text = b"".join(response.streaming_content).decode("utf-8")
    assert text.startswith("\ufeff")
    header = text.splitlines()[0].lstrip("\ufeff").split(";")
    assert header[0] == "Partenaire"
    assert "-fr-by-partner.csv" in response["Content-Disposition"]


def test_a_coordinator_gets_their_partner_only(client, hand_counted, coordinator_a):
    client.force_login(coordinator_a)
    response = client.get(EXPORT, {**Q1, "format": "xlsx"})
    assert response.status_code == 200
    _header, *rows = rows_of_xlsx(response)
    names = [row[0] for row in rows]
    assert "Partner A" in names and "Partner B" not in names


def test_a_wrong_format_is_404_and_the_data_protection_officer_gets_nothing(client, hand_counted, staff_user, dpo_user):
    client.force_login(staff_user)
    assert client.get(EXPORT, {**Q1, "format": "pdf"}).status_code == 404
    client.force_login(dpo_user)
    assert client.get(EXPORT, Q1).status_code == 403


def test_the_dashboard_offers_the_download_with_its_filters(client, hand_counted, staff_user):
    client.force_login(staff_user)
    page = client.get(reverse("reporting:dashboard"), Q1).content.decode()
    assert f"{EXPORT}?quarter=2019Q1&amp;format=xlsx" in page


@pytest.mark.parametrize(
    "params",
    [
        {"date_from": "9999-01-01"},
        {"quarter": "garbage"},
        {"quarter": "2019Q5"},
        {"date_from": "2019-06-01", "date_to": "2019-01-01"},
        {"partner": "abc"},
    ],
)
def test_wrong_filters_are_refused_not_replaced_by_the_default_period(client, hand_counted, manager_user, params):
    client.force_login(manager_user)
    response = client.get(EXPORT, {**params, "format": "csv"})
    assert response.status_code == 400
    assert "Some filters are not valid" in response.content.decode()
