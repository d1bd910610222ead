"""The figures after the duo in the registry: on the dashboard (cards with
numerator, denominator and the unknowns beside job retention, each linking
to exactly the duos or follow-ups behind it), in the XLSX, CSV and JSON
reports, against the hand-counted follow-ups of 2019Q2
(``followups.tests.hand_counted``; the counts are worked out in
``followups/tests/test_figures.py``).

The cohort of duos started in 2018, follow-ups due by 30 June 2019 (a duo
starts 180 days before it closes):

* at 3 months (A only, closed by 31 March 2019): a1, a2, a3, a4, a6, a9,
  a10, a12, a13 due; a1, a9 recorded;
* at 6 months (closed by 31 December 2018): a1, a2, a3, a4, a6, a12, a13, b1
  due; a1, a2, a3, a12, b1 recorded; a job for a1, a12, b1; a3 lost contact;
* at 12 months (closed by 30 June 2018): a6 due, not recorded.

Job retention at 6: 3 / 4 (a1, a12, b1 over those and a2), unknown 4 (a3,
a4, a6, a13); at 12: 0 / 0, unknown 1 (a6); employed within 12 months: 1 / 1
(a6, a CDD at closure); follow-up completion 7 / 18.
"""

import csv
import datetime
import io
import json
from decimal import Decimal

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from followups.tests.hand_counted import build_hand_counted_follow_ups
from reporting.exporters import EXPORTERS, QuarterlyXlsxExporter
from reporting.figures import Period, figure_keys
from reporting.figures.after_closure import FOLLOW_UP_KEYS
from reporting.selectors import ReportScope, figure_set_for_user, report_data, report_sources_for_user

from .walk import walk_dashboard

pytestmark = pytest.mark.django_db

DASHBOARD = reverse("reporting:dashboard")
DUOS = reverse("duos:duo_list")
Q2 = Period.quarter("2019Q2")
TOTAL = {
    "retention_6": (2, 3),
    "retention_6_unknown": (2, None),
    "retention_12": (1, 2),
    "retention_12_unknown": (2, None),
    "employed_within_12": (3, 5),
    "follow_up_completion": (8, 11),
}
PARTNER_A = {
    "retention_6": (1, 2),
    "retention_6_unknown": (2, None),
    "retention_12": (1, 2),
    "retention_12_unknown": (2, None),
    "employed_within_12": (3, 4),
    "follow_up_completion": (7, 10),
}
PARTNER_B = {
    "retention_6": (1, 1),
    "retention_6_unknown": (0, None),
    "retention_12": (0, 0),
    "retention_12_unknown": (0, None),
    "employed_within_12": (0, 1),
    "follow_up_completion": (1, 1),
}
VALUES = {
    "retention_6": Decimal("66.7"),
    "retention_12": Decimal("50.0"),
    "employed_within_12": Decimal("60.0"),
    "follow_up_completion": Decimal("72.7"),
}


def _day(text):
    return datetime.date.fromisoformat(text)


@pytest.fixture
def follow_ups(partner_a, partner_b):
    return build_hand_counted_follow_ups(partner_a, partner_b)


def parts(row):
    return {key: (row[key].numerator, row[key].denominator) for key in TOTAL}


def test_registry_figures_per_partner_and_in_total(follow_ups, manager_user):
    figures = figure_set_for_user(manager_user, ReportScope(period=Q2))
    assert parts(figures.total) == TOTAL
    assert {key: figures.total[key].value for key in VALUES} == VALUES
    by_partner = {partner.slug: parts(row) for partner, row in figures.partners}
    assert by_partner == {"partner-a": PARTNER_A, "partner-b": PARTNER_B}
    assert figures.as_dict()["definitions"]["retention_6"] == "1"


def test_cohort_counts_the_follow_ups_due_by_the_as_of_date(follow_ups, manager_user):
    scope = ReportScope(period=Period(_day("2018-01-01"), _day("2018-12-31")), view="cohort", as_of=_day("2019-06-30"))
    assert parts(figure_set_for_user(manager_user, scope).total) == {
        "retention_6": (3, 4),
        "retention_6_unknown": (4, None),
        "retention_12": (0, 0),
        "retention_12_unknown": (1, None),
        "employed_within_12": (1, 1),
        "follow_up_completion": (7, 18),
    }


def test_a_coordinator_counts_only_their_partners_follow_ups(follow_ups, coordinator_b):
    assert parts(figure_set_for_user(coordinator_b, ReportScope(period=Q2)).total) == PARTNER_B


def test_dashboard_cards_show_parts_unknowns_and_link_to_the_duos(client, follow_ups, manager_user):
    client.force_login(manager_user)
    response = client.get(DASHBOARD, {"quarter": "2019Q2"})
    cards = {card["key"]: card for card in response.context["follow_up_cards"]}
    assert tuple(cards) == FOLLOW_UP_KEYS
    for key, card in cards.items():
        assert (card["figure"].numerator, card["figure"].denominator) == TOTAL[key]
        assert card["numerator_url"] and card["denominator_url"]
    assert [(q["info"].key, q["figure"].numerator) for q in cards["retention_6"]["quality"]] == [
        ("retention_6_unknown", 2)
    ]
    content = response.content.decode()
    assert "After the duo" in content and "Follow-ups due in the period" in content
    assert 'data-figure="retention_12"' in content

    # Each link opens exactly the duos (or, for completion, the follow-ups) its part counts.
    walked, mismatches = walk_dashboard(client, {"quarter": "2019Q2"})
    assert walked > 40 and mismatches == []
    for key in ("retention_6", "employed_within_12"):
        for part, expected in zip(("numerator_url", "denominator_url"), TOTAL[key], strict=True):
            listed = client.get(cards[key][part])
            assert listed.context["paginator"].count == expected, (key, part)
    unknown = client.get(cards["retention_12"]["quality"][0]["url"])
    assert unknown.context["paginator"].count == 2


def test_completion_lists_the_follow_ups_of_each_duo(client, follow_ups, manager_user):
    """Over 2019 a duo can have several follow-ups due: the list shows each
    duo's and their sum is the figure's."""
    client.force_login(manager_user)
    params = {"figure": "follow_up_completion", "date_from": "2019-01-01", "date_to": "2019-12-31"}
    figure = figure_set_for_user(manager_user, ReportScope(period=Period(_day("2019-01-01"), _day("2019-12-31"))))
    completion = figure.total["follow_up_completion"]
    denominator = client.get(DUOS, {**params, "part": "denominator"})
    drill = denominator.context["filter"].figure_drilldown
    assert drill.total == completion.denominator
    per_duo = {duo.pk: duo.figure_per_duo for duo in denominator.context["object_list"]}
    assert max(per_duo.values()) == 3  # closed in the last quarter of 2018: at 3, 6 and 12 months
    assert sum(per_duo.values()) == completion.denominator > len(per_duo)
    content = denominator.content.decode()
    assert f"{completion.denominator} follow-ups, over {len(per_duo)} duos" in content
    assert 'data-role="follow-ups"' in content and "Follow-ups counted" in content
    assert "Follow-ups due in the period" in content  # not "rates count the duos closed in the period"
    numerator = client.get(DUOS, {**params, "part": "numerator"})
    assert numerator.context["filter"].figure_drilldown.total == completion.numerator
    walked, mismatches = walk_dashboard(client, {"date_from": "2019-01-01", "date_to": "2019-12-31"})
    assert mismatches == []


def test_a_coordinator_walks_only_their_follow_ups(client, follow_ups, coordinator_a):
    client.force_login(coordinator_a)
    response = client.get(DASHBOARD, {"quarter": "2019Q2"})
    cards = {card["key"]: card for card in response.context["follow_up_cards"]}
    assert (cards["follow_up_completion"]["figure"].numerator, cards["follow_up_completion"]["figure"].denominator) == (
        7,
        10,
    )
    walked, mismatches = walk_dashboard(client, {"quarter": "2019Q2"})
    assert mismatches == []


def _report(user, identifier):
    scope = ReportScope(period=Q2)
    return EXPORTERS[identifier].build(report_data(report_sources_for_user(user, scope), scope))


def test_xlsx_summary_and_notes(follow_ups, manager_user):
    workbook = load_workbook(io.BytesIO(_report(manager_user, "xlsx")))
    summary = workbook["Summary"]
    keys = figure_keys()
    total_column = QuarterlyXlsxExporter.SUMMARY_FIRST_COLUMN + 3 * 2  # after partners A and B
    for key, (numerator, denominator) in TOTAL.items():
        row = QuarterlyXlsxExporter.SUMMARY_FIRST_ROW + keys.index(key)
        cells = [summary.cell(row, total_column + offset).value for offset in range(3)]
        assert cells[0] == numerator and cells[1] == denominator, key
        if key in VALUES:
            assert cells[2] == pytest.approx(float(VALUES[key])), key
    notes = "\n".join(str(c.value) for row in workbook["Notes"].iter_rows() for c in row if c.value)
    assert "Job retention at 6 months" in notes
    assert "follow-ups at 12 months due in the period with a known situation" in notes


def test_csv_for_machines_and_for_excel(follow_ups, manager_user):
    rows = list(csv.DictReader(io.StringIO(_report(manager_user, "csv").decode())))
    total = next(row for row in rows if row["partner"] == "total")
    assert (total["retention_6_numerator"], total["retention_6_denominator"], total["retention_6_value"]) == (
        "2",
        "3",
        "66.7",
    )
    assert (total["retention_12_unknown_numerator"], total["follow_up_completion_value"]) == ("2", "72.7")
    assert (total["employed_within_12_numerator"], total["employed_within_12_denominator"]) == ("3", "5")

    excel = _report(manager_user, "csv-excel").decode("utf-8-sig")
    lines = list(csv.reader(io.StringIO(excel), delimiter=";"))
    header, last = lines[0], lines[-1]
    assert last[header.index("Follow-up completion: numerator")] == "8"
    assert last[header.index("Employed within 12 months: value")] == "60.0"


def test_json(follow_ups, manager_user):
    payload = json.loads(_report(manager_user, "json"))
    assert payload["total"]["retention_6"]["numerator"] == 2
    assert payload["total"]["retention_6"]["denominator"] == 3
    assert payload["total"]["retention_12_unknown"]["numerator"] == 2
    assert payload["definitions"]["follow_up_completion"] == "1"
    partner_b = next(row for row in payload["partners"] if row["partner"] == "partner-b")
    assert partner_b["employed_within_12"]["denominator"] == 1
