"""``GET /api/v1/figures/``: every figure of the registry with its numerator,
denominator, value, definition and drill-down links, on the hand-counted
follow-ups of 2019Q2 (``followups.tests.hand_counted``) and the closure
figures of the same duos; scoped like the dashboard."""

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from followups.tests.hand_counted import build_hand_counted_follow_ups
from programmes.models import Programme
from reporting.figures import Period, figure_keys
from reporting.selectors import ReportScope, figure_set_for_user

from .conftest import token_client

pytestmark = pytest.mark.django_db

FIGURES = reverse("api:figures")
Q2 = {"quarter": "2019Q2"}


@pytest.fixture
def follow_ups(partner_a, partner_b):
    return build_hand_counted_follow_ups(partner_a, partner_b)


def by_key(payload):
    return {figure["key"]: figure for figure in payload["figures"]}


def test_every_figure_with_its_parts_definition_and_links(follow_ups, manager_user):
    response = token_client(manager_user).get(FIGURES, Q2)
    assert response.status_code == 200
    payload = response.json()
    assert payload["period"] == {"from": "2019-04-01", "to": "2019-06-30", "quarter": "2019Q2"}
    assert payload["view"] == "closed" and payload["rounding"] == "half-up"
    figures = by_key(payload)
    assert list(figures) == list(figure_keys())
    expected = figure_set_for_user(manager_user, ReportScope(period=Period.quarter("2019Q2")))
    for key, figure in figures.items():
        total = expected.total[key]
        parts = [part if isinstance(part, int) or part is None else str(part) for part in total.as_dict().values()]
        assert [figure["numerator"], figure["denominator"], figure["value"]] == parts, key
    retention = figures["retention_6"]
    assert (retention["numerator"], retention["denominator"], retention["value"]) == (2, 3, "66.7")
    assert retention["version"] == "1" and retention["unit"] == "percent"
    assert retention["definition"]["numerator"].startswith("follow-ups at 6 months due in the period")
    assert retention["definition"]["shown_beside"] == ["retention_6_unknown"]
    assert "figure=retention_6" in retention["numerator_url"] and "part=denominator" in retention["denominator_url"]
    assert figures["duos_closed"]["denominator_url"] is None  # a count has no denominator
    assert figures["budget_per_duo_planned"]["numerator_url"] is None  # money counts no duos
    assert [row["slug"] for row in payload["partners"]] == ["partner-a", "partner-b"]
    assert payload["partners"][1]["figures"]["employed_within_12"] == {"numerator": 0, "denominator": 1, "value": "0.0"}


def test_the_links_open_exactly_the_duos_counted(client, follow_ups, coordinator_a):
    figures = by_key(token_client(coordinator_a).get(FIGURES, Q2).json())
    client.force_login(coordinator_a)
    for key in ("retention_6", "retention_12", "employed_within_12", "duos_closed"):
        for part in ("numerator", "denominator"):
            url = figures[key][f"{part}_url"]
            if url is None:
                continue
            listed = client.get(url)
            assert listed.status_code == 200
            assert listed.context["paginator"].count == figures[key][part], (key, part)
    completion = client.get(figures["follow_up_completion"]["denominator_url"])
    assert completion.context["filter"].figure_drilldown.total == figures["follow_up_completion"]["denominator"] == 10


def test_a_coordinator_reads_their_partner_only(follow_ups, coordinator_a, partner_a, partner_b):
    client = token_client(coordinator_a)
    payload = client.get(FIGURES, Q2).json()
    assert [row["slug"] for row in payload["partners"]] == ["partner-a"]
    assert by_key(payload)["follow_up_completion"]["numerator"] == 7
    assert client.get(FIGURES, {**Q2, "partner": partner_a.pk}).status_code == 200
    assert client.get(FIGURES, {**Q2, "partner": partner_b.pk}).status_code == 404
    foreign_programme = Programme.objects.filter(partner=partner_b).first()
    assert client.get(FIGURES, {**Q2, "programme": foreign_programme.pk}).status_code == 404
    assert client.get(FIGURES, {**Q2, "partner": 999999}).status_code == 404


def test_staff_narrow_to_one_partner(follow_ups, staff_user, partner_b):
    payload = token_client(staff_user).get(FIGURES, {**Q2, "partner": partner_b.pk}).json()
    assert payload["partner"] == partner_b.pk
    figures = by_key(payload)
    assert (figures["retention_6"]["numerator"], figures["retention_6"]["denominator"]) == (1, 1)


def test_cohort_and_wrong_periods(follow_ups, manager_user):
    client = token_client(manager_user)
    cohort = client.get(
        FIGURES, {"date_from": "2018-01-01", "date_to": "2018-12-31", "view": "cohort", "as_of": "2019-06-30"}
    )
    assert cohort.status_code == 200
    assert cohort.json()["as_of"] == "2019-06-30"
    assert by_key(cohort.json())["follow_up_completion"]["numerator"] == 7
    wrong = client.get(FIGURES, {"date_from": "2019-06-30", "date_to": "2019-01-01"})
    assert wrong.status_code == 400 and "date_to" in wrong.json()
    assert client.get(FIGURES, {"quarter": "2019Q9"}).status_code == 400
    default = client.get(FIGURES)
    assert default.status_code == 200 and default.json()["period"]["quarter"]


def test_the_data_protection_officer_and_anonymous_get_no_figures(dpo_user):
    assert token_client(dpo_user).get(FIGURES, Q2).status_code == 403
    assert APIClient().get(FIGURES, Q2).status_code == 401


def test_the_api_index_lists_the_figures(client, coordinator_a):
    client.force_login(coordinator_a)
    response = client.get("/api/v1/", HTTP_ACCEPT="application/json")
    assert response.status_code == 200
    index = response.json()
    assert index["figures"].endswith("/api/v1/figures/")
    assert index["duos"].endswith("/api/v1/duos/")


def test_an_id_that_is_no_id_is_a_400_not_a_500(follow_ups, staff_user):
    client = APIClient()
    client.force_authenticate(staff_user)
    for name in ("partner", "programme", "convention"):
        for value in ("\u00b2", "99999999999999999999999", "-1", "1.5"):
            response = client.get(FIGURES, {**Q2, name: value})
            assert response.status_code == 400, value
            assert response.json()[name] == ["An id is a whole number."], (name, value)
