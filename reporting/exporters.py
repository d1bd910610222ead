"""Report exporters: small classes in a registry (after pretix's exporters).

An exporter has an ``identifier`` (the file format users pick), a ``title``,
says which users may run it (``may_run``) and turns a ``ReportData`` into
bytes (``build``). The Celery task and the ``report`` command pick one from
``EXPORTERS``; neither knows how a file is laid out.

Exports are meant for circulation beyond the partner: duos appear under a
pseudonymous id only (no names, no job-seeker numbers, no migration
background, no free-text notes).
"""

import csv
import hashlib
import hmac
import io
import json
from decimal import Decimal

from django.conf import settings
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from duos.models import ClosureReason, ContractType, DuoStatus, OutcomeType
from programmes.permissions import can_request_reports

from .figures import FIGURE_INFO, FIGURE_KEYS, BudgetBasis, Rounding, Unit
from .figures.breakdowns import outcome_table

EXPORTERS = {}


def register(exporter_class):
    EXPORTERS[exporter_class.identifier] = exporter_class()
    return exporter_class


def get_exporter(identifier):
    try:
        return EXPORTERS[identifier]
    except KeyError as exc:
        raise ValueError(identifier) from exc


def duo_pseudonym(duo_id):
    """A stable pseudonymous id for a duo: a keyed hash of its id, so a report
    reader cannot walk the application's ids, while the application (which
    holds the key) can still find the duo behind a line."""
    digest = hmac.new(settings.SECRET_KEY.encode(), f"duo:{duo_id}".encode(), hashlib.sha256).hexdigest()
    return "D-" + digest[:10].upper()


def _number(value):
    """Decimals as JSON/XLSX numbers (``Decimal("50.7")`` → ``50.7``)."""
    if isinstance(value, Decimal):
        return float(value) if value != value.to_integral_value() or value.as_tuple().exponent < 0 else int(value)
    return value


class Exporter:
    identifier = ""
    title = ""
    extension = ""
    content_type = "application/octet-stream"

    def may_run(self, user):
        """Managers for every partner, coordinators for their own."""
        return can_request_reports(user)

    def build(self, data):
        raise NotImplementedError


@register
class FiguresJsonExporter(Exporter):
    """All figures as JSON (the ``report`` command's default format)."""

    identifier = "json"
    title = gettext_lazy("JSON (figures only)")
    extension = "json"
    content_type = "application/json"

    def may_run(self, user):
        return False  # command line only

    def build(self, data):
        def encode(value):
            if isinstance(value, Decimal):
                return _number(value)
            raise TypeError(type(value))

        return (json.dumps(data.figures.as_dict(), indent=2, default=encode) + "\n").encode()


@register
class FiguresCsvExporter(Exporter):
    """One row per partner and a total row; for every figure its numerator,
    denominator and value."""

    identifier = "csv"
    title = gettext_lazy("CSV (one row per partner)")
    extension = "csv"
    content_type = "text/csv"

    def header(self):
        columns = ["partner", "period_from", "period_to", "rounding"]
        for key in FIGURE_KEYS:
            columns += [f"{key}_numerator", f"{key}_denominator", f"{key}_value"]
        return columns

    def build(self, data):
        figures = data.figures
        out = io.StringIO()
        writer = csv.writer(out)
        writer.writerow(self.header())
        common = [figures.period.date_from.isoformat(), figures.period.date_to.isoformat(), str(figures.rounding)]
        rows = [(partner.slug, row) for partner, row in figures.partners] + [("total", figures.total)]
        for slug, row in rows:
            line = [slug, *common]
            for key in FIGURE_KEYS:
                figure = row[key]
                line += [_csv(figure.numerator), _csv(figure.denominator), _csv(figure.value)]
            writer.writerow(line)
        return out.getvalue().encode("utf-8")


def _csv(value):
    return "" if value is None else str(value)


def _number_format(value, unit=None):
    """The value's own unit for a figure's value; else by type (count or EUR/pro-rata)."""
    if unit is not None:
        return NUMBER_FORMATS[unit]
    return "#,##0" if isinstance(value, int) else "#,##0.00"


BOLD = Font(bold=True)
TITLE = Font(bold=True, size=14)
WRAP = Alignment(wrap_text=True, vertical="top")
HEADER_FILL = PatternFill("solid", fgColor="DDE7F0")
NUMBER_FORMATS = {Unit.COUNT: "#,##0", Unit.PERCENT: "0.0", Unit.EUR: "#,##0.00"}


@register
class QuarterlyXlsxExporter(Exporter):
    """The quarterly outcome report: a summary sheet (every figure per partner
    and in total, with numerator and denominator), outcomes by type, the duos
    behind the figures under pseudonymous ids, and footnotes saying how each
    figure is computed, for which period and with which rounding."""

    identifier = "xlsx"
    title = gettext_lazy("Excel workbook (XLSX)")
    extension = "xlsx"
    content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

    # Summary layout, read back by the tests: one row per figure from
    # SUMMARY_FIRST_ROW in FIGURE_KEYS order; from column SUMMARY_FIRST_COLUMN,
    # three columns (numerator, denominator, value) per partner, then the total.
    SUMMARY_FIRST_ROW = 8
    SUMMARY_FIRST_COLUMN = 3

    def build(self, data):
        # Write-only: rows are streamed (the duos sheet can hold thousands).
        workbook = Workbook(write_only=True)
        self._summary(workbook.create_sheet(_("Summary")), data)
        self._outcomes(workbook.create_sheet(_("Outcomes")), data)
        self._duos(workbook.create_sheet(_("Duos")), data)
        self._footnotes(workbook.create_sheet(_("Notes")), data)
        out = io.BytesIO()
        workbook.save(out)
        return out.getvalue()

    @staticmethod
    def _styled(sheet, value, *, font=None, fill=None, number_format=None, alignment=None):
        cell = WriteOnlyCell(sheet, value=value)
        if font is not None:
            cell.font = font
        if fill is not None:
            cell.fill = fill
        if number_format is not None:
            cell.number_format = number_format
        if alignment is not None:
            cell.alignment = alignment
        return cell

    def _heading(self, sheet, data, title):
        """Rows 1 to 5: title, period, rounding, when generated, a blank line."""
        figures = data.figures
        period = _("%(start)s to %(end)s") % {
            "start": date_format(figures.period.date_from, "SHORT_DATE_FORMAT"),
            "end": date_format(figures.period.date_to, "SHORT_DATE_FORMAT"),
        }
        sheet.append([self._styled(sheet, str(title), font=TITLE)])
        for label, value in (
            (_("Period"), period),
            (_("Rounding"), str(Rounding(figures.rounding).label)),
            (_("Generated"), date_format(timezone.localtime(data.generated_at), "SHORT_DATETIME_FORMAT")),
        ):
            sheet.append([self._styled(sheet, str(label), font=BOLD), str(value)])
        sheet.append([])

    def _summary(self, sheet, data):
        figures = data.figures
        columns = [partner.name for partner, _row in figures.partners] + [_("Total")]
        rows = [row for _partner, row in figures.partners] + [figures.total]
        sheet.column_dimensions["A"].width = 42
        for column in range(self.SUMMARY_FIRST_COLUMN, self.SUMMARY_FIRST_COLUMN + 3 * len(columns)):
            sheet.column_dimensions[get_column_letter(column)].width = 13
        sheet.freeze_panes = f"{get_column_letter(self.SUMMARY_FIRST_COLUMN)}{self.SUMMARY_FIRST_ROW}"
        self._heading(sheet, data, _("Quarterly outcome report"))
        head = [self._styled(sheet, str(_("Figure")), font=BOLD), self._styled(sheet, str(_("Unit")), font=BOLD)]
        sub = [None, None]
        for name in columns:
            head += [self._styled(sheet, str(name), font=BOLD), None, None]
            sub += [
                self._styled(sheet, str(label), font=BOLD, fill=HEADER_FILL)
                for label in (_("Numerator"), _("Denominator"), _("Value"))
            ]
        sheet.append(head)
        sheet.append(sub)
        for key in FIGURE_KEYS:
            info = FIGURE_INFO[key]
            line = [str(info.label), str(Unit(info.unit).label)]
            for row in rows:
                figure = row[key]
                for offset, value in enumerate((figure.numerator, figure.denominator, figure.value)):
                    if value is None:
                        line.append(None)
                    else:
                        number_format = _number_format(value, info.unit if offset == 2 else None)
                        line.append(self._styled(sheet, _number(value), number_format=number_format))
            sheet.append(line)
        sheet.append([])
        sheet.append([str(_("An empty value means there is no denominator (nothing to divide by)."))])
        sheet.append([str(_("Definitions, rounding and sources: see the Notes sheet."))])

    def _outcomes(self, sheet, data):
        figures = data.figures
        sheet.column_dimensions["A"].width = 42
        self._heading(sheet, data, _("Primary outcomes of the duos closed in the period"))
        partners = [partner for partner, _row in figures.partners]
        header = [_("Outcome"), *[partner.name for partner in partners], _("Total")]
        sheet.append([self._styled(sheet, str(label), font=BOLD) for label in header])
        for row in outcome_table(data.outcome_counts, [partner.pk for partner in partners]):
            label = str(row["label"])
            sheet.append([("    " + label) if row.get("indent") else label, *row["counts"], row["total"]])

    DUO_COLUMNS = (
        ("pseudonym", gettext_lazy("Duo (pseudonymous id)")),
        ("partner_name", gettext_lazy("Partner")),
        ("programme_name", gettext_lazy("Programme")),
        ("convention_slug", gettext_lazy("Funding convention")),
        ("start_date", gettext_lazy("Start date")),
        ("planned_end_date", gettext_lazy("Planned end date")),
        ("end_date", gettext_lazy("End date")),
        ("status", gettext_lazy("Status")),
        ("closure_reason", gettext_lazy("Closure reason")),
        ("outcome", gettext_lazy("Primary outcome")),
        ("contract", gettext_lazy("Contract type")),
        ("contract_months", gettext_lazy("Contract length (months)")),
        ("held_meetings", gettext_lazy("Meetings held in the period")),
    )

    def _duos(self, sheet, data):
        for column in range(1, len(self.DUO_COLUMNS) + 1):
            sheet.column_dimensions[get_column_letter(column)].width = 18
        sheet.freeze_panes = "B7"
        self._heading(sheet, data, _("Duos active at some time in the period"))
        sheet.append([self._styled(sheet, str(label), font=BOLD) for _key, label in self.DUO_COLUMNS])
        labels = {
            "status": {key: str(label) for key, label in DuoStatus.choices},
            "closure_reason": {key: str(label) for key, label in ClosureReason.choices},
            "outcome": {key: str(label) for key, label in OutcomeType.choices},
            "contract": {key: str(label) for key, label in ContractType.choices},
        }
        for row in data.duo_rows():
            row["pseudonym"] = duo_pseudonym(row["id"])
            line = []
            for key, _label in self.DUO_COLUMNS:
                value = row.get(key)
                if key in labels and value:
                    value = labels[key].get(value, value)
                line.append(None if value == "" else value)
            sheet.append(line)

    def _footnotes(self, sheet, data):
        figures = data.figures
        sheet.column_dimensions["A"].width = 32
        sheet.column_dimensions["B"].width = 70
        sheet.column_dimensions["C"].width = 70
        self._heading(sheet, data, _("How the figures are computed"))
        lines = [
            (_("Scope"), data.scope_description),
            (
                _("Rounding"),
                _("Rates are percentages with one decimal, rounded: %(mode)s.")
                % {"mode": Rounding(figures.rounding).label},
            ),
            (_("Money"), _("Amounts in EUR with two decimals, rounded half up.")),
            (_("Planned budget basis"), str(BudgetBasis(figures.budget_basis).label)),
            (
                _("Counts"),
                _("For a count (duos started, closed, active) the numerator is the count and there is no denominator."),
            ),
            (
                _("Outcomes"),
                _(
                    "Rates use each closed duo's primary outcome; follow-up outcomes are not counted. "
                    "Open duos are never in a denominator."
                ),
            ),
            (
                _("Privacy"),
                _("Duos appear under a pseudonymous id only: no names, job-seeker numbers or migration background."),
            ),
        ]
        for label, text in lines:
            sheet.append([self._styled(sheet, str(label), font=BOLD), str(text)])
        sheet.append([])
        sheet.append(
            [self._styled(sheet, str(label), font=BOLD) for label in (_("Figure"), _("Numerator"), _("Denominator"))]
        )
        for info in FIGURE_INFO.values():
            sheet.append(
                [
                    str(info.label),
                    self._styled(sheet, str(info.numerator), alignment=WRAP),
                    self._styled(sheet, str(info.denominator), alignment=WRAP),
                ]
            )
