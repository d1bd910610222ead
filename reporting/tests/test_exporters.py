"""The exporters lay out the selectors' figures, and nothing personal."""

import csv
import datetime
import io
import json

import pytest
from django.utils import translation
from openpyxl import load_workbook
from openpyxl.utils.escape import unescape

from reporting.exporters import EXPORTERS, QuarterlyXlsxExporter, duo_pseudonym, file_name
from reporting.figures import Period, figure_keys
from reporting.selectors import ReportScope, report_data, report_sources_for_user
from tests.factories import MigrationBackgroundFactory

pytestmark = pytest.mark.django_db

Q1 = Period.quarter("2019Q1")


def build(user, identifier, **scope):
    scope = ReportScope(period=Q1, **scope)
    data = report_data(report_sources_for_user(user, scope), scope)
    return data, EXPORTERS[identifier].build(data)


def number(value):
    return None if value is None else float(value)


def summary_cells(sheet, column_index):
    """``{key: (numerator, denominator, value)}`` of one column group."""
    first_column = QuarterlyXlsxExporter.SUMMARY_FIRST_COLUMN + 3 * column_index
    return {
        key: tuple(
            sheet.cell(QuarterlyXlsxExporter.SUMMARY_FIRST_ROW + row, first_column + offset).value
            for offset in range(3)
        )
        for row, key in enumerate(figure_keys())
    }


def assert_cells_equal(cells, figures):
    for key in figure_keys():
        figure = figures[key]
        expected = (number(figure.numerator), number(figure.denominator), number(figure.value))
        assert tuple(number(v) for v in cells[key]) == expected, key


def test_xlsx_summary_equals_the_selectors(hand_counted, manager_user):
    data, content = build(manager_user, "xlsx")
    workbook = load_workbook(io.BytesIO(content))
    assert workbook.sheetnames == ["Summary", "Money", "Outcomes", "Duos", "Notes"]
    summary = workbook["Summary"]
    for index, (_partner, figures) in enumerate(data.figures.partners):
        assert_cells_equal(summary_cells(summary, index), figures)
    assert_cells_equal(summary_cells(summary, len(data.figures.partners)), data.figures.total)
    assert summary_cells(summary, 2)["employment_rate"] == (3, 7, 42.9)


def test_xlsx_footnotes_state_definitions_period_and_rounding(hand_counted, manager_user):
    _data, content = build(manager_user, "xlsx", rounding="truncate")
    notes = load_workbook(io.BytesIO(content))["Notes"]
    text = "\n".join(str(cell.value) for row in notes.iter_rows() for cell in row if cell.value)
    assert "Truncate" in text
    assert "closed duos whose primary outcome is a salaried job" in text
    assert "366 in a leap year" in text  # a definition choice, in the notes
    assert "Employment rate" in text


def test_xlsx_duos_are_pseudonymous(hand_counted, manager_user):
    from duos.models import Duo

    # Names no text of the workbook can contain by chance (Faker's "Ho" is in "How ...").
    for duo in Duo.objects.select_related("mentee", "mentor"):
        duo.mentee.last_name, duo.mentor.last_name = f"Menteename{duo.pk}x", f"Mentorname{duo.pk}x"
        duo.mentee.save(update_fields=["last_name"])
        duo.mentor.save(update_fields=["last_name"])
    duo = Duo.objects.select_related("mentee", "mentor").filter(partner__slug="partner-a").first()
    MigrationBackgroundFactory(mentee=duo.mentee)
    _data, content = build(manager_user, "xlsx")
    workbook = load_workbook(io.BytesIO(content))
    text = "\n".join(
        str(cell.value) for sheet in workbook.worksheets for row in sheet.iter_rows() for cell in row if cell.value
    )
    for mentee_duo in Duo.objects.select_related("mentee", "mentor"):
        assert mentee_duo.mentee.last_name not in text
        assert mentee_duo.mentee.jobseeker_number not in text
        assert mentee_duo.mentor.last_name not in text
    assert "migration" not in text.lower().replace("no names, job-seeker numbers or migration background", "")
    duos_sheet = workbook["Duos"]
    ids = [row[0].value for row in duos_sheet.iter_rows(min_row=QuarterlyXlsxExporter.HEADING_ROWS + 2) if row[0].value]
    # Active at some time in 2019Q1: all but d8 (closed 2018) and d9 (starts 2019Q2).
    expected = Duo.objects.filter(start_date__lte=Q1.date_to).exclude(end_date__lt=Q1.date_from)
    assert len(ids) == 10
    assert set(ids) == {duo_pseudonym(pk) for pk in expected.values_list("pk", flat=True)}
    assert str(duo.pk) not in ids


def test_csv_one_row_per_partner_and_total(hand_counted, manager_user):
    data, content = build(manager_user, "csv")
    rows = list(csv.DictReader(io.StringIO(content.decode())))
    assert [row["partner"] for row in rows] == ["partner-a", "partner-b", "total"]
    assert rows[2]["employment_rate_numerator"] == "3"
    assert rows[2]["employment_rate_denominator"] == "7"
    assert rows[2]["employment_rate_value"] == "42.9"
    assert rows[0]["duos_started_denominator"] == ""


def test_coordinator_export_holds_only_their_partner(hand_counted, coordinator_a):
    _data, content = build(coordinator_a, "csv")
    rows = list(csv.DictReader(io.StringIO(content.decode())))
    assert [row["partner"] for row in rows] == ["partner-a", "total"]
    assert rows[1]["duos_closed_value"] == "5"


def test_json_matches_figure_set(hand_counted, manager_user):
    data, content = build(manager_user, "json")
    payload = json.loads(content)
    assert payload["total"]["cdi_share"] == {"numerator": 1, "denominator": 3, "value": 33.3}
    assert payload["total"]["duos_started"] == {"numerator": 3, "denominator": None, "value": 3}


def test_exporter_registry_roles(manager_user, staff_user, coordinator_a):
    assert EXPORTERS["xlsx"].may_run(manager_user)
    assert EXPORTERS["xlsx"].may_run(coordinator_a)
    assert not EXPORTERS["xlsx"].may_run(staff_user)
    assert not EXPORTERS["json"].may_run(manager_user)


# --- files a person can open ------------------------------------------------------------

FORMULAS = ["=1+2", '=HYPERLINK("http://example.org","x")', "+1", "-1", "@SUM(A1)", "\t=1", "\r=1"]


def shown_text(value):
    """A cell's text as a spreadsheet shows it (Excel's ``_xHHHH_`` escapes read back)."""
    return unescape(value) if isinstance(value, str) else value


@pytest.mark.parametrize("name", FORMULAS)
def test_no_cell_starts_a_formula(hand_counted, manager_user, partner_a, name):
    partner_a.name = name
    partner_a.save()
    hand_counted["programme_a"].name = name
    hand_counted["programme_a"].save()
    _data, content = build(manager_user, "xlsx")
    workbook = load_workbook(io.BytesIO(content))
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (sheet.title, cell.coordinate, cell.value)
    # A carriage return is written escaped (_x000D_), as Excel does; Excel and
    # LibreOffice show it back as typed. The text stays a text.
    summary = [shown_text(cell.value) for cell in workbook["Summary"][QuarterlyXlsxExporter.HEADING_ROWS + 1]]
    assert name in summary
    assert name in [shown_text(row[2].value) for row in workbook["Duos"].iter_rows()]  # the programme column
    for identifier, delimiter in (("csv-excel", ";"), ("csv", ",")):
        _data, content = build(manager_user, identifier)
        rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig")), delimiter=delimiter))
        for row in rows:
            for value in row:
                assert not value.startswith(("=", "+", "@", "\t", "\r")), (identifier, value)
                assert not value.startswith("-") or value[1:].replace(".", "").replace(",", "").isdigit()
    _data, content = build(manager_user, "csv-excel")
    names = [row[0] for row in csv.reader(io.StringIO(content.decode("utf-8-sig")), delimiter=";")]
    assert "'" + name in names


def test_csv_for_excel_in_french(hand_counted, manager_user):
    with translation.override("fr"):
        data, content = build(manager_user, "csv-excel")
    assert content.startswith(b"\xef\xbb\xbf")  # UTF-8 with a byte-order mark
    rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig")), delimiter=";"))
    header, *body = rows
    assert header[:3] == ["Partenaire", "Du", "Au"]
    column = header.index("Taux de mise à l'emploi : valeur")
    assert [row[0] for row in body] == ["Partner A", "Partner B", "Total"]
    assert body[-1][column] == "42,9"
    assert body[-1][1] == "01/01/2019"
    assert "\r\n" in content.decode("utf-8-sig")


def test_csv_for_machines_keeps_english_keys_and_points(hand_counted, manager_user):
    with translation.override("nl"):
        _data, content = build(manager_user, "csv")
    assert not content.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(content.decode())))
    assert rows[-1]["employment_rate_value"] == "42.9"
    assert rows[-1]["period_from"] == "2019-01-01"


def test_xlsx_dates_are_date_cells(hand_counted, manager_user):
    _data, content = build(manager_user, "xlsx")
    workbook = load_workbook(io.BytesIO(content))
    period = workbook["Summary"][2]
    assert period[1].is_date and period[1].value.date() == Q1.date_from
    assert period[1].number_format.lower() == "dd/mm/yyyy"
    duos = workbook["Duos"]
    header = [cell.value for cell in duos[QuarterlyXlsxExporter.HEADING_ROWS + 1]]
    start = header.index("Start date")
    first = duos[QuarterlyXlsxExporter.HEADING_ROWS + 2][start]
    assert first.is_date and first.number_format.lower() == "dd/mm/yyyy"


@pytest.mark.parametrize(
    ("scope", "language", "expected"),
    [
        ({}, "fr", "mentoring-2019Q2-all-partners-fr.xlsx"),
        ({"partner": "partner"}, "nl", "mentoring-2019Q2-partner-a-nl.xlsx"),
        (
            {"period": Period(datetime.date(2013, 1, 1), datetime.date(2017, 12, 31)), "view": "cohort"},
            "en",
            "mentoring-2013-01-01_2017-12-31-cohort-as-of-2017-12-31-all-partners-en.xlsx",
        ),
        ({"funder": "*"}, "en", "mentoring-2019Q2-all-partners-all-funders-en.xlsx"),
    ],
)
def test_file_names_say_period_scope_and_language(partner_a, scope, language, expected):
    if scope.get("partner"):
        scope["partner"] = partner_a
    kwargs = {"period": Period.quarter("2019Q2"), **scope}
    assert file_name(extension="xlsx", language=language, **kwargs) == expected
