"""Published quarters in the pages: publishing, listing, downloading the same
bytes for ever, the dashboard's restatement with its corrections, and the
restatement in the next report's files."""

import hashlib
import io
import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from duos.models import Duo
from duos.services import duo_cancel
from reporting.exporters import EXPORTERS
from reporting.figures import Period
from reporting.models import PublicationStatus, PublishedReport
from reporting.selectors import ReportScope, report_data, report_sources_for_user
from reporting.services import report_build, report_request_create

from .factories import day
from .test_publishing import CORRECTION_REASON, correct_first_job, publish

pytestmark = pytest.mark.django_db

LIST = reverse("reporting:published_list")
DASHBOARD = reverse("reporting:dashboard")


def test_a_manager_publishes_a_quarter_from_the_list(client, hand_counted, manager_user):
    client.force_login(manager_user)
    page = client.get(LIST)
    assert page.status_code == 200 and "No quarter published yet" in page.content.decode()
    assert "2019 Q1" in page.content.decode()  # a finished quarter is offered
    response = client.post(LIST, {"quarter": "2019Q1", "rounding": "half-up", "language": "fr", "note": "Sent."})
    publication = PublishedReport.objects.get()
    assert response.status_code == 302 and response["Location"] == publication.get_absolute_url()
    detail = client.get(publication.get_absolute_url())
    content = detail.content.decode()
    assert detail.status_code == 200 and "Sent." in content and publication.files.get(format="xlsx").sha256 in content
    assert "3 / 7" in content  # the employment rate as published
    assert "have not changed" in client.get(DASHBOARD, {"quarter": "2019Q1"}).content.decode()


def test_a_quarter_not_over_is_not_offered(client, hand_counted, manager_user):
    client.force_login(manager_user)
    response = client.post(LIST, {"quarter": "2099Q1", "rounding": "half-up", "language": "en"})
    assert response.status_code == 400 and "Select a valid choice" in response.content.decode()
    assert not PublishedReport.objects.exists()


@pytest.mark.parametrize("persona", ["coordinator_a", "staff_user"])
def test_only_managers_reach_published_quarters(client, hand_counted, manager_user, persona, request):
    publication = publish(manager_user)
    client.force_login(request.getfixturevalue(persona))
    assert client.get(LIST).status_code == 403
    assert client.post(LIST, {"quarter": "2019Q1", "rounding": "half-up", "language": "en"}).status_code == 403
    assert client.get(publication.get_absolute_url()).status_code == 403
    assert client.get(reverse("reporting:published_download", args=[publication.pk, "xlsx"])).status_code == 403
    assert "Published quarters" not in client.get(DASHBOARD, {"quarter": "2019Q1"}).content.decode()


def test_republishing_lists_both(client, hand_counted, manager_user):
    first = publish(manager_user)
    client.force_login(manager_user)
    client.post(LIST, {"quarter": "2019Q1", "rounding": "truncate", "language": "en"})
    second = PublishedReport.objects.get(status=PublicationStatus.PUBLISHED)
    page = client.get(LIST)
    assert [p.pk for p in page.context["publications"]] == [second.pk, first.pk]
    assert "Superseded" in page.content.decode()
    old = client.get(first.get_absolute_url()).content.decode()
    assert "Superseded on" in old and second.get_absolute_url() in old


def test_the_download_is_byte_identical_after_the_data_changed(client, hand_counted, manager_user, partner_a):
    publication = publish(manager_user)
    client.force_login(manager_user)
    url = reverse("reporting:published_download", args=[publication.pk, "xlsx"])
    first = client.get(url)
    assert first.status_code == 200 and first["Content-Disposition"].startswith("attachment")
    first_bytes = first.content
    correct_first_job(partner_a)
    duo_cancel(duo=Duo.objects.get(partner=partner_a, end_date=day("2019-01-20")), correction_reason="Entered twice.")
    second = client.get(url)
    assert second.content == first_bytes
    assert (
        hashlib.sha256(second.content).hexdigest()
        == second["X-Content-SHA256"]
        == publication.files.get(format="xlsx").sha256
    )
    json_file = client.get(reverse("reporting:published_download", args=[publication.pk, "json"]))
    assert json.loads(json_file.content)["total"]["employment_rate"]["numerator"] == 3  # as published
    assert client.get(reverse("reporting:published_download", args=[publication.pk, "pdf"])).status_code == 404


def test_the_dashboard_shows_a_restated_quarter_with_its_corrections(
    client, hand_counted, manager_user, coordinator_a, coordinator_b, partner_a
):
    publish(manager_user)
    correct_first_job(partner_a, user=coordinator_a)

    client.force_login(manager_user)
    response = client.get(DASHBOARD, {"quarter": "2019Q1"})
    content = response.content.decode()
    restatement = response.context["restatement"]
    assert restatement.is_restated and "Restated" in content and CORRECTION_REASON in content
    total = next(item for item in restatement.figures if (item.scope, item.key) == ("total", "employment_rate"))
    assert (total.published.numerator, total.current.numerator) == (3, 2)
    assert 'data-scope="total"' in content and "coord-a" in content
    # Another quarter, or the cohort view, shows no restatement.
    assert client.get(DASHBOARD, {"quarter": "2019Q2"}).context["restatement"] is None

    client.force_login(coordinator_a)
    own = client.get(DASHBOARD, {"quarter": "2019Q1"})
    assert own.context["restatement"].is_restated and CORRECTION_REASON in own.content.decode()
    assert {item.scope for item in own.context["restatement"].figures} == {f"partner:{partner_a.pk}"}
    assert 'data-scope="total"' not in own.content.decode()

    client.force_login(coordinator_b)
    other = client.get(DASHBOARD, {"quarter": "2019Q1"})
    assert not other.context["restatement"].is_restated
    assert CORRECTION_REASON not in other.content.decode() and "Partner A" not in other.content.decode()


def test_the_dashboard_compares_in_a_fixed_number_of_queries(client, hand_counted, manager_user, partner_a, partner_b):
    client.force_login(manager_user)
    with CaptureQueriesContext(connection) as unpublished:
        client.get(DASHBOARD, {"quarter": "2019Q1"})
    publish(manager_user)
    correct_first_job(partner_a)
    with CaptureQueriesContext(connection) as one:
        client.get(DASHBOARD, {"quarter": "2019Q1"})
    for duo in Duo.objects.filter(partner=partner_b, end_date__isnull=False, end_date__gte=day("2019-01-01")):
        duo_cancel(duo=duo, correction_reason="Entered by mistake.")
    with CaptureQueriesContext(connection) as more:
        response = client.get(DASHBOARD, {"quarter": "2019Q1"})
    assert len(response.context["restatement"].corrections) == 3
    assert len(more) == len(one)
    # The page's own figures are reused: the published figures and the corrections are all it adds.
    assert len(one) == len(unpublished) + 2


def test_the_next_report_lists_the_restatement(hand_counted, manager_user, partner_a, media_root):
    publish(manager_user)
    correct_first_job(partner_a)
    request = report_request_create(user=manager_user, period=Period.quarter("2019Q2"), format="xlsx", language="en")
    request = report_build(report_request_id=request.pk)
    workbook = load_workbook(io.BytesIO(request.file.read()))
    assert workbook.sheetnames[-1] == "Restatements"
    rows = [tuple(row) for row in workbook["Restatements"].iter_rows(values_only=True)]
    employment = next(row for row in rows if row[:3] == ("2019Q1", "All partners", "Employment rate"))
    assert employment[3:9] == (3, 7, 42.9, 2, 7, 28.6)
    correction = next(row for row in rows if row[0] == "2019Q1" and CORRECTION_REASON in row)
    assert correction[3] == "Closure corrected"

    scope = ReportScope(period=Period.quarter("2019Q2"))

    def sources_for(other):
        return report_sources_for_user(manager_user, other)

    data = json.loads(EXPORTERS["json"].build(report_data(sources_for(scope), scope, sources_for=sources_for)))
    [restated] = data["restatements"]
    assert restated["quarter"] == "2019Q1"
    figure = next(f for f in restated["figures"] if (f["scope"], f["figure"]) == ("total", "employment_rate"))
    assert figure["published"] == {"numerator": 3, "denominator": 7, "value": 42.9}
    assert figure["current"] == {"numerator": 2, "denominator": 7, "value": 28.6}
    assert [c["reason"] for c in restated["corrections"]] == [CORRECTION_REASON]
    assert restated["corrections"][0]["duo"].startswith("D-")


def test_a_coordinators_report_lists_only_their_partners_restatement(
    hand_counted, manager_user, coordinator_b, partner_a, media_root
):
    publish(manager_user)
    correct_first_job(partner_a)
    request = report_request_create(user=coordinator_b, period=Period.quarter("2019Q2"), format="xlsx", language="en")
    workbook = load_workbook(io.BytesIO(report_build(report_request_id=request.pk).file.read()))
    assert "Restatements" not in workbook.sheetnames


def test_the_list_reads_a_fixed_number_of_queries(client, hand_counted, manager_user):
    client.force_login(manager_user)
    publish(manager_user)
    with CaptureQueriesContext(connection) as one:
        assert client.get(LIST).status_code == 200
    publish(manager_user)
    publish(manager_user, "2018Q4")
    publish(manager_user, "2018Q3")
    with CaptureQueriesContext(connection) as four:
        response = client.get(LIST)
    assert len(response.context["publications"]) == 4
    assert "Corrections since publication" not in response.content.decode()
    assert len(four) == len(one)
    # The files' bytes are not read to list them.
    file_reads = [query["sql"] for query in four.captured_queries if '"reporting_publishedfile"' in query["sql"]]
    assert file_reads and not any('"reporting_publishedfile"."content",' in sql for sql in file_reads)
    correct_first_job(Duo.objects.filter(end_date=day("2019-02-15")).get().partner)
    corrected = client.get(LIST)
    # d1 (2018-10-01 to 2019-02-15) counts in both publications of 2019Q1 and in 2018Q4, not in 2018Q3.
    assert [p.corrected_since for p in corrected.context["publications"]] == [True, True, True, False]
    assert corrected.content.decode().count("Corrections since publication") == 3


def test_one_current_publication_per_quarter_in_the_database(hand_counted, manager_user):
    from django.db import IntegrityError, transaction

    current = publish(manager_user)
    with pytest.raises(IntegrityError), transaction.atomic():
        PublishedReport.objects.create(
            quarter=current.quarter,
            date_from=current.date_from,
            date_to=current.date_to,
            published_at=current.published_at,
            published_by_name="someone",
            rounding="half-up",
            budget_basis="days",
            language="en",
        )
