"""Dashboard and report screens, for every role."""

import io
import re
from decimal import Decimal
from urllib.parse import parse_qs, urlsplit

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from reporting.exporters import QuarterlyXlsxExporter
from reporting.figures import Period, figure_keys
from reporting.models import ReportRequest, ReportStatus
from reporting.selectors import ReportScope, figure_set_for_user
from reporting.services import report_build, report_request_create
from tests.factories import MeetingFactory, OutcomeFactory, PartnerFactory, ProgrammeFactory, UserFactory

from .factories import active_duo, closed_duo

pytestmark = pytest.mark.django_db

DASHBOARD = reverse("reporting:dashboard")
Q1 = {"quarter": "2019Q1"}

# The dashboard's queries: session, user, membership; first/last duo start;
# the conventions the user may see (read once: the convention filter's
# choices, and the funders, the funder filter's choices and default); for the period:
# partners, conventions, the duo aggregate (duo-months included), the
# reached duo-months, shares, funded partners, duos per convention (shared
# with the table of money per convention), the follow-up offsets in use and
# the follow-up aggregate; for the previous period only the cards' figures:
# partners, conventions, the duo aggregate (2018Q4 overlaps no convention
# here: no funding queries), the follow-up offsets and aggregate; the quarterly trend (started by start
# quarter, closed by end quarter); outcomes by type; the choices of the
# partner and programme filters; the manager's second-factor
# device (django-otp checks it on every request of a verified session); the
# quarter's publication, if any (none here; a published quarter adds its
# figures and the corrections made since, test_published_views); the time to
# match, for the period and the previous one (one query each).
DASHBOARD_QUERIES = 28


def text_of(response):
    """The page's text without tags (numbers are links to the duos behind them)."""
    return re.sub(r"<[^>]+>", "", response.content.decode())


def test_anonymous_is_sent_to_login(client):
    response = client.get(DASHBOARD)
    assert response.status_code == 302
    assert "login" in response["Location"]


def test_user_without_role_is_refused(client, db):
    client.force_login(UserFactory(username="nobody", role=None))
    assert client.get(DASHBOARD).status_code == 403


@pytest.mark.parametrize("persona", ["staff_user", "manager_user"])
def test_actiris_roles_see_every_partner_and_the_total(client, hand_counted, persona, request):
    client.force_login(request.getfixturevalue(persona))
    response = client.get(DASHBOARD, Q1)
    assert response.status_code == 200
    content = response.content.decode()
    assert "Partner A" in content and "Partner B" in content
    rows = response.context["rows"]
    assert [row["partner"].slug if row["partner"] else None for row in rows] == ["partner-a", "partner-b", None]
    cards = {card["key"]: card["figure"] for card in response.context["cards"]}
    assert (cards["employment_rate"].numerator, cards["employment_rate"].denominator) == (3, 7)
    assert "3 / 7" in text_of(response)


def test_coordinator_sees_only_their_partner(client, hand_counted, coordinator_a):
    client.force_login(coordinator_a)
    response = client.get(DASHBOARD, Q1)
    content = response.content.decode()
    assert response.status_code == 200
    assert "Partner B" not in content
    assert [row["partner"].slug for row in response.context["rows"]] == ["partner-a"]
    cards = {card["key"]: card["figure"] for card in response.context["cards"]}
    assert (cards["employment_rate"].numerator, cards["employment_rate"].denominator) == (2, 5)
    assert "partner" not in response.context["form"].fields


def test_coordinator_cannot_filter_on_another_partner(client, hand_counted, coordinator_a, partner_b):
    client.force_login(coordinator_a)
    response = client.get(DASHBOARD, {**Q1, "partner": partner_b.pk, "programme": hand_counted["programme_b"].pk})
    assert response.status_code == 200
    assert "Partner B" not in response.content.decode()
    assert response.context["cards"][0]["figure"].value == 2  # still partner A's duos started


def test_dashboard_figures_link_to_the_duo_list(client, hand_counted, manager_user, partner_a):
    client.force_login(manager_user)
    response = client.get(DASHBOARD, Q1)
    cards = {card["key"]: card for card in response.context["cards"]}

    def query(url):
        assert urlsplit(url).path == reverse("duos:duo_list")
        return {key: values[0] for key, values in parse_qs(urlsplit(url).query).items()}

    started = query(cards["duos_started"]["numerator_url"])
    assert started == {
        "figure": "duos_started",
        "part": "numerator",
        "date_from": "2019-01-01",
        "date_to": "2019-03-31",
    }
    assert cards["duos_started"]["denominator_url"] is None  # a count has no denominator
    assert query(cards["employment_rate"]["denominator_url"])["part"] == "denominator"
    assert cards["budget_per_duo_planned"]["numerator_url"] is None  # money is not a list of duos
    actual = query(cards["budget_per_duo_actual"]["denominator_url"])
    assert (actual["figure"], actual["funder"]) == ("budget_per_duo_actual", "Actiris")
    partner_cell = response.context["rows"][0]["cells"][0]
    assert query(partner_cell["numerator_url"])["partner"] == str(partner_a.pk)
    job = response.context["outcomes"][0]
    assert (job["type"], job["total"]) == ("job", 3)
    assert query(job["total_url"]) == {**query(cards["duos_closed"]["numerator_url"]), "outcome": "job"}
    assert f"partner={partner_a.pk}" in job["cells"][0][1]
    quality = {item["info"].key: item for item in cards["employment_rate"]["quality"]}
    assert quality["closed_lost_contact"]["figure"].value == 1


def test_dashboard_rounding(client, hand_counted, manager_user):
    client.force_login(manager_user)

    def employment_rate(params):
        cards = client.get(DASHBOARD, params).context["cards"]
        return next(card["figure"].value for card in cards if card["key"] == "employment_rate")

    # Total employment rate 3 / 7 = 42.857 %.
    assert employment_rate(Q1) == Decimal("42.9")
    assert employment_rate({**Q1, "rounding": "truncate"}) == Decimal("42.8")


def test_dashboard_free_dates_and_previous_period(client, hand_counted, manager_user):
    client.force_login(manager_user)
    response = client.get(DASHBOARD, {"date_from": "2019-01-01", "date_to": "2019-03-31"})
    assert response.context["period"] == Period.quarter("2019Q1")
    assert response.context["previous_period"] == Period.quarter("2018Q4")
    assert response.context["trend_data"]["labels"][-1] == "2019Q1"
    bad = client.get(DASHBOARD, {"date_from": "2019-03-01", "date_to": "2019-01-01"})
    assert bad.status_code == 200  # the form says what is wrong, the page still shows


def _grow(partners, duos_each):
    for _ in range(partners):
        programme = ProgrammeFactory(partner=PartnerFactory())
        for index in range(duos_each):
            duo = closed_duo(programme, "2018-11-01", "2019-02-01", outcome="job", contract="cdi")
            MeetingFactory.create_batch(2, duo=duo)
            OutcomeFactory(duo=duo, is_primary=False, type="training")
            active_duo(programme, f"2019-01-{index + 10:02d}")


@pytest.mark.parametrize(
    ("quarter", "expected"),
    # 2019Q1: the previous quarter overlaps no convention (no shares, funded
    # partners or duos per convention to read for it); 2019Q2: both do.
    [("2019Q1", DASHBOARD_QUERIES), ("2019Q2", DASHBOARD_QUERIES + 3)],
)
def test_dashboard_query_count_is_flat(client, hand_counted, manager_user, quarter, expected):
    client.force_login(manager_user)
    client.get(DASHBOARD, {"quarter": quarter})  # warm up (session, content types)
    with CaptureQueriesContext(connection) as small:
        client.get(DASHBOARD, {"quarter": quarter})
    _grow(partners=3, duos_each=4)
    with CaptureQueriesContext(connection) as large:
        response = client.get(DASHBOARD, {"quarter": quarter})
    assert len(response.context["rows"]) == 6
    assert len(small) == len(large) == expected, "\n".join(q["sql"] for q in large.captured_queries)


def test_coordinator_dashboard_query_count_is_flat(client, hand_counted, coordinator_a):
    client.force_login(coordinator_a)
    client.get(DASHBOARD, Q1)
    with CaptureQueriesContext(connection) as small:
        client.get(DASHBOARD, Q1)
    _grow(partners=2, duos_each=3)
    with CaptureQueriesContext(connection) as large:
        client.get(DASHBOARD, Q1)
    assert len(small) == len(large)


# --- report requests ---------------------------------------------------------------------


def test_manager_requests_and_downloads_an_xlsx(
    client, hand_counted, manager_user, media_root, eager_tasks, django_capture_on_commit_callbacks
):
    client.force_login(manager_user)
    form = client.get(reverse("reporting:report_create"))
    assert form.status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("reporting:report_create"),
            {"quarter": "2019Q1", "format": "xlsx", "rounding": "half-up", "budget_basis": "days", "language": "en"},
        )
    report_request = ReportRequest.objects.get()
    assert response.status_code == 302
    assert response["Location"] == report_request.get_absolute_url()
    assert report_request.status == ReportStatus.DONE
    status = client.get(reverse("reporting:report_status", args=[report_request.pk]), HTTP_HX_REQUEST="true")
    assert "hx-trigger" not in status.content.decode()  # finished: polling stops
    assert reverse("reporting:report_download", args=[report_request.pk]) in status.content.decode()
    download = client.get(reverse("reporting:report_download", args=[report_request.pk]))
    assert download.status_code == 200
    assert download["Content-Disposition"].startswith("attachment")
    assert download["Content-Disposition"].endswith('filename="mentoring-2019Q1-all-partners-en.xlsx"')
    workbook = load_workbook(io.BytesIO(b"".join(download.streaming_content)))
    total = figure_set_for_user(manager_user, ReportScope(period=Period.quarter("2019Q1"))).total
    row = QuarterlyXlsxExporter.SUMMARY_FIRST_ROW + figure_keys().index("employment_rate")
    assert workbook["Summary"].cell(row, 3 + 3 * 2 + 2).value == float(total["employment_rate"].value)
    assert client.get(reverse("reporting:report_list")).status_code == 200


def test_pending_request_polls(client, hand_counted, manager_user):
    report_request = report_request_create(user=manager_user, period=Period.quarter("2019Q1"), format="xlsx")
    client.force_login(manager_user)
    page = client.get(report_request.get_absolute_url()).content.decode()
    assert 'hx-trigger="every 2s"' in page
    download = client.get(reverse("reporting:report_download", args=[report_request.pk]))
    assert download.status_code == 302  # not ready: back to the request page


def test_coordinator_request_form_has_no_partner_choice(client, hand_counted, coordinator_a, partner_b, media_root):
    client.force_login(coordinator_a)
    form = client.get(reverse("reporting:report_create")).context["form"]
    assert "partner" not in form.fields
    client.post(
        reverse("reporting:report_create"),
        {
            "quarter": "2019Q1",
            "format": "csv",
            "rounding": "half-up",
            "budget_basis": "days",
            "language": "en",
            "partner": partner_b.pk,
        },
    )
    assert ReportRequest.objects.get().partner == coordinator_a.membership.partner


def test_staff_cannot_request_reports(client, staff_user):
    client.force_login(staff_user)
    assert client.get(reverse("reporting:report_create")).status_code == 403


def test_download_rights(client, hand_counted, coordinator_a, coordinator_b, manager_user, staff_user, media_root):
    report_request = report_request_create(user=coordinator_a, period=Period.quarter("2019Q1"), format="csv")
    report_build(report_request_id=report_request.pk)
    url = reverse("reporting:report_download", args=[report_request.pk])
    detail = reverse("reporting:report_detail", args=[report_request.pk])
    for user, expected in [(coordinator_a, 200), (manager_user, 200), (coordinator_b, 404), (staff_user, 404)]:
        client.force_login(user)
        assert client.get(url).status_code == expected, user
        assert client.get(detail).status_code == expected, user
    client.logout()
    assert client.get(url).status_code == 302


def test_coordinator_cannot_download_another_partners_report(
    client, hand_counted, coordinator_b, manager_user, partner_a, media_root
):
    report_request = report_request_create(
        user=manager_user, period=Period.quarter("2019Q1"), format="csv", partner=partner_a
    )
    report_build(report_request_id=report_request.pk)
    client.force_login(coordinator_b)
    assert client.get(reverse("reporting:report_download", args=[report_request.pk])).status_code == 404
    assert client.get(reverse("reporting:report_status", args=[report_request.pk])).status_code == 404


# --- every URL for every role ------------------------------------------------------------

EXPECTED = {
    # persona: dashboard, report_list, report_create, and coordinator A's report:
    # report_detail, report_status, report_download
    "anonymous": (302, 302, 302, 302, 302, 302),
    # As in the workspace: reads find nothing (an empty list, 404), writes are refused.
    "no_role": (403, 200, 403, 404, 404, 404),
    "coordinator_a": (200, 200, 200, 200, 200, 200),
    "coordinator_b": (200, 200, 200, 404, 404, 404),
    "staff_user": (200, 200, 403, 404, 404, 404),
    "manager_user": (200, 200, 200, 200, 200, 200),
}


@pytest.mark.parametrize("persona", list(EXPECTED))
def test_url_permission_matrix(client, hand_counted, coordinator_a, coordinator_b, persona, request, media_root):
    report_request = report_request_create(user=coordinator_a, period=Period.quarter("2019Q1"), format="csv")
    report_build(report_request_id=report_request.pk)
    if persona == "no_role":
        client.force_login(UserFactory(username="nobody", role=None))
    elif persona != "anonymous":
        client.force_login(request.getfixturevalue(persona))
    urls = [
        reverse("reporting:dashboard"),
        reverse("reporting:report_list"),
        reverse("reporting:report_create"),
        reverse("reporting:report_detail", args=[report_request.pk]),
        reverse("reporting:report_status", args=[report_request.pk]),
        reverse("reporting:report_download", args=[report_request.pk]),
    ]
    assert tuple(client.get(url).status_code for url in urls) == EXPECTED[persona]


@pytest.mark.parametrize(("language", "rate"), [("fr", "42,9&nbsp;%"), ("nl", "42,9&nbsp;%"), ("en", "42.9&nbsp;%")])
def test_every_number_follows_the_users_locale(client, hand_counted, manager_user, settings, language, rate):
    client.force_login(manager_user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    response = client.get(DASHBOARD, Q1)
    content = response.content.decode()
    cards = re.findall(r'data-figure="employment_rate">.*?data-role="value">([^<]+)<', content, re.S)
    assert cards == [rate]
    trend = re.findall(r'data-role="trend-rate">([^<]+)<', content)
    assert trend[-1] == rate  # the table under the chart, as the cards
    assert all("." not in value for value in trend) or language == "en"


def test_request_a_report_carries_the_dashboards_period_and_view(client, hand_counted, manager_user):
    client.force_login(manager_user)
    params = {"date_from": "2018-06-01", "date_to": "2019-03-31", "view": "cohort", "as_of": "2019-12-31"}
    content = client.get(DASHBOARD, params).content.decode()
    link = re.search(r'href="(/reporting/reports/new/\?[^"]+)"', content).group(1).replace("&amp;", "&")
    form = client.get(link).context["form"]
    assert (form.initial["date_from"], form.initial["view"], form.initial["as_of"]) == (
        "2018-06-01",
        "cohort",
        "2019-12-31",
    )
