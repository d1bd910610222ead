"""Every figure's numerator and denominator link opens a duo list whose
count is the figure's (duo-months: the total the list shows), on hand-counted
data and on generated data, in both views, for every role."""

from urllib.parse import urlencode

import pytest
from django.core.management import call_command
from django.urls import reverse

from programmes.models import ConventionShare

from .walk import walk_dashboard

pytestmark = pytest.mark.django_db

DUOS = reverse("duos:duo_list")
Q1 = {"quarter": "2019Q1"}


@pytest.mark.parametrize(
    "params",
    [
        Q1,
        {"date_from": "2019-01-01", "date_to": "2019-12-31"},
        {"quarter": "2019Q1", "view": "cohort", "as_of": "2019-06-30"},
        {"date_from": "2018-06-01", "date_to": "2019-03-31", "view": "cohort"},
        {"date_from": "2019-02-14", "date_to": "2019-02-14"},
        {"date_from": "2000-01-01", "date_to": "2099-12-31"},
    ],
)
def test_every_link_counts_what_its_figure_counts(client, hand_counted, manager_user, params):
    client.force_login(manager_user)
    walked, mismatches = walk_dashboard(client, params)
    assert walked > 40
    assert mismatches == []


@pytest.mark.parametrize("persona", ["staff_user", "coordinator_a", "coordinator_b"])
def test_every_role_walks_its_own_figures(client, hand_counted, persona, request):
    client.force_login(request.getfixturevalue(persona))
    walked, mismatches = walk_dashboard(client, Q1)
    assert walked > 20 and mismatches == []


def test_partner_row_and_not_split_row_links(client, hand_counted, manager_user, partner_a):
    """Shares without amounts or targets: the convention belongs to no single
    partner; its row links to both partners' duos under it."""
    ConventionShare.objects.update(amount=None, target_duos_per_year=None)
    client.force_login(manager_user)
    walked, mismatches = walk_dashboard(client, Q1)
    assert mismatches == []
    rows = client.get(reverse("reporting:dashboard"), Q1).context["rows"]
    not_split = next(row for row in rows if row.get("not_split"))
    target = next(cell for cell in not_split["cells"] if cell["key"] == "target_attainment")
    assert target["figure"].numerator == 3 and "row=not-split" in target["numerator_url"]
    walked, mismatches = walk_dashboard(client, {**Q1, "partner": partner_a.pk})
    assert mismatches == []


def test_every_link_on_generated_data(client, manager_user):
    call_command("generate_scale_data", duos=150, partners=3, seed=11, verbosity=0)
    client.force_login(manager_user)
    for params in (
        {"quarter": "2024Q2"},
        {"date_from": "2023-01-01", "date_to": "2023-12-31"},
        {"date_from": "2020-01-01", "date_to": "2022-12-31", "view": "cohort", "as_of": "2025-06-30"},
    ):
        walked, mismatches = walk_dashboard(client, params)
        assert walked > 60, params
        assert mismatches == [], params


def test_cadence_list_shows_each_duos_months_and_their_total(client, hand_counted, manager_user):
    client.force_login(manager_user)
    query = {"figure": "meeting_cadence_compliance", "date_from": "2019-01-01", "date_to": "2019-03-31"}
    denominator = client.get(DUOS, {**query, "part": "denominator"})
    assert denominator.context["filter"].figure_drilldown.total == 12
    months = {duo.pk: duo.figure_per_duo for duo in denominator.context["object_list"]}
    assert sum(months.values()) == 12 and len(months) == 8  # d1, d2, d4, d5, d6, d7, e2, e3
    content = denominator.content.decode()
    assert "12 duo-months, over 8 duos" in content
    assert 'data-role="duo-months"' in content
    numerator = client.get(DUOS, {**query, "part": "numerator"})
    assert numerator.context["filter"].figure_drilldown.total == 5
    assert numerator.context["paginator"].count == 4  # d1, d6, d7, e2


def test_a_wrong_link_is_an_empty_list_with_the_reason(client, hand_counted, manager_user):
    client.force_login(manager_user)
    for params in (
        {"figure": "nope", "part": "numerator", "quarter": "2019Q1"},
        {"figure": "employment_rate", "part": "numerator", "date_from": "0001-01-01", "date_to": "2019-03-31"},
        {"figure": "budget_per_duo_planned", "part": "numerator", "quarter": "2019Q1"},
        {"figure": "employment_rate", "part": "numerator"},
    ):
        response = client.get(DUOS, params)
        assert response.status_code == 200
        drill = response.context["filter"].figure_drilldown
        assert drill.errors, params
        assert response.context["paginator"] is None or response.context["paginator"].count == 0
        assert "This link to a figure is not valid." in response.content.decode()


def test_a_coordinator_cannot_drill_into_another_partner(client, hand_counted, coordinator_a, partner_b):
    client.force_login(coordinator_a)
    query = {"figure": "duos_closed", "part": "numerator", "quarter": "2019Q1", "partner": partner_b.pk}
    response = client.get(DUOS + "?" + urlencode(query))
    assert response.status_code == 200
    assert response.context["filter"].figure_drilldown.errors
    assert not response.context["object_list"]


def test_the_figure_survives_another_filter(client, hand_counted, manager_user):
    """The list's own filters narrow the figure's duos further; the figure's
    parameters stay in the filter form (hidden)."""
    client.force_login(manager_user)
    query = {"figure": "duos_closed", "part": "numerator", "quarter": "2019Q1"}
    response = client.get(DUOS, {**query, "outcome": "job"})
    assert response.context["paginator"].count == 3
    content = response.content.decode()
    assert '<input type="hidden" name="part" value="numerator">' in content
    assert '<input type="hidden" name="quarter" value="2019Q1">' in content


def test_one_day_period(client, hand_counted, manager_user):
    client.force_login(manager_user)
    response = client.get(
        DUOS, {"figure": "duos_active_at_end", "part": "numerator", "date_from": "2019-02-14", "date_to": "2019-02-14"}
    )
    # Active on 14 Feb 2019: d1 (closed 15 Feb), d2, d4, d5, d6, d7, e3 (closed 10 Feb: no).
    assert response.context["paginator"].count == 6
