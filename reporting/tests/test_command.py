"""``python manage.py report``."""

import io
import json

import pytest
from django.core.management import CommandError, call_command
from openpyxl import load_workbook

from reporting.figures import figure_keys

pytestmark = pytest.mark.django_db


def run(*args):
    out = io.StringIO()
    call_command("report", *args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def test_json_keys(hand_counted):
    payload = json.loads(run("--from", "2019-01-01", "--to", "2019-03-31", "--format", "json", "--output", "-"))
    assert set(payload) >= {"period", "rounding", "partners", "total"}
    assert payload["period"] == {"from": "2019-01-01", "to": "2019-03-31", "quarter": "2019Q1"}
    assert payload["rounding"] == "half-up"
    assert [row["partner"] for row in payload["partners"]] == ["partner-a", "partner-b"]
    assert set(payload["total"]) == set(figure_keys())
    assert set(figure_keys()) == {
        "duos_started",
        "duos_closed",
        "duos_active_at_end",
        "employment_rate",
        "employment_rate_incl_self_employment",
        "positive_outcome_rate",
        "stable_job_rate",
        "cdi_share",
        "completion_rate",
        "meeting_cadence_compliance",
        "target_attainment",
        "budget_per_duo_planned",
        "budget_per_duo_actual",
        "retention_6",
        "retention_12",
        "employed_within_12",
        "follow_up_completion",
        "retention_6_unknown",
        "retention_12_unknown",
        "closed_without_outcome",
        "closed_lost_contact",
        "time_to_match",
    }
    assert payload["definitions"]["meeting_cadence_compliance"] == "2"
    for row in [*payload["partners"], payload["total"]]:
        for key in figure_keys():
            assert set(row[key]) == {"numerator", "denominator", "value"}
    assert payload["total"]["employment_rate"] == {"numerator": 3, "denominator": 7, "value": 42.9}
    assert payload["total"]["duos_started"] == {"numerator": 3, "denominator": None, "value": 3}


def test_quarter_partner_and_truncate(hand_counted):
    payload = json.loads(run("--quarter", "2019Q1", "--partner", "partner-a", "--rounding", "truncate"))
    assert payload["rounding"] == "truncate"
    assert [row["partner"] for row in payload["partners"]] == ["partner-a"]
    assert payload["total"]["meeting_cadence_compliance"]["value"] == 40.0


def test_csv_and_xlsx_files(hand_counted, tmp_path):
    csv_path, xlsx_path = tmp_path / "r.csv", tmp_path / "r.xlsx"
    run("--quarter", "2019Q1", "--format", "csv", "--output", str(csv_path))
    assert csv_path.read_text().splitlines()[-1].startswith("total,2019-01-01,2019-03-31,closed,,Actiris,half-up,3,")
    run("--quarter", "2019Q1", "--format", "xlsx", "--output", str(xlsx_path), "--convention", "conv-2019")
    assert load_workbook(xlsx_path)["Summary"]["A1"].value


@pytest.mark.parametrize(
    "args",
    [
        ("--from", "2019-01-01"),
        ("--quarter", "2019Q7"),
        ("--quarter", "2019Q1", "--from", "2019-02-01"),
        ("--from", "2019-03-01", "--to", "2019-01-01"),
        ("--quarter", "2019Q1", "--partner", "nobody"),
    ],
)
def test_bad_arguments(db, args):
    with pytest.raises(CommandError):
        run(*args)
