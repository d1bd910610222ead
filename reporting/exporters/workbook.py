"""The quarterly outcome report as an XLSX workbook.

Sheets: a summary (every figure of the registry per partner row and in
total, with numerator and denominator), money per convention, outcomes by
type, the duos behind the figures under pseudonymous ids, and notes saying
how each figure is counted (its definition, the choices made, its version),
for which period, view, funder and rounding. Cells are typed by
``mentoring.spreadsheets.XlsxBook``, as in every export: dates are date
cells, no text is ever a formula. The workbook is written row by row
(XlsxWriter, constant memory): the duos sheet holds thousands of rows.
"""

from __future__ import annotations

import io
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext

from duos.models import ClosureReason, ContractType, DuoStatus, OutcomeType
from mentoring.spreadsheets import XlsxBook, styled
from mentoring.types import Text

from ..figures import ALL_FUNDERS, BudgetBasis, Rounding, Unit, get
from ..figures.breakdowns import outcome_table
from ..restatements import made_by_name
from . import Exporter, register
from .cells import duo_pseudonym
from .tables import figure_rows

if TYPE_CHECKING:
    from ..figures.evaluate import FigureSet
    from ..selectors import ReportData

# A cell style as ``mentoring.spreadsheets.styled`` takes it.
Style = dict[str, Any]

BOLD: Style = {"bold": True}
TITLE = {"bold": True, "size": 14}
WRAP = {"wrap": True}
HEADER_FILL = {"fill": "#DDE7F0"}
NUMBER_FORMATS: dict[str, str] = {Unit.COUNT: "#,##0", Unit.PERCENT: "0.0", Unit.EUR: "#,##0.00", Unit.DAYS: "0.0"}


def _number_format(value: Any, unit: str | None = None) -> str:
    """The value's own unit for a figure's value; else by type (count or EUR/pro-rata)."""
    if unit is not None:
        return NUMBER_FORMATS[unit]
    return "#,##0" if isinstance(value, int) else "#,##0.00"


@register
class QuarterlyXlsxExporter(Exporter):
    identifier = "xlsx"
    title = gettext_lazy("Excel workbook (XLSX)")
    extension = "xlsx"
    content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

    # Summary layout, read back by the tests: one row per figure from
    # SUMMARY_FIRST_ROW in registry order; from column SUMMARY_FIRST_COLUMN,
    # three columns (numerator, denominator, value) per row of the report
    # (partners, not split, total). Other sheets' tables start on HEADING_ROWS + 1.
    HEADING_ROWS = 8
    SUMMARY_FIRST_ROW = HEADING_ROWS + 3
    SUMMARY_FIRST_COLUMN = 3

    def build(self, data: ReportData) -> bytes:
        # Row by row, in constant memory (the duos sheet can hold thousands).
        out = io.BytesIO()
        book = XlsxBook(out)
        self._summary(book.sheet(_("Summary")), data)
        self._funding(book.sheet(_("Money")), data)
        self._outcomes(book.sheet(_("Outcomes")), data)
        self._duos(book.sheet(_("Duos")), data)
        self._notes(book.sheet(_("Notes")), data)
        if data.restatements:
            self._restatements(book.sheet(_("Restatements")), data)
        book.close()
        return out.getvalue()

    @staticmethod
    def _cell(
        sheet: Any,
        value: Any,
        *,
        font: Style | None = None,
        fill: Style | None = None,
        number_format: str | None = None,
        alignment: Style | None = None,
    ) -> Any:
        """``value`` with its style; the book types it when written (a text is
        a string never evaluated, a date a date cell shown day first)."""
        style = {**(font or {}), **(fill or {}), **(alignment or {})}
        if number_format is not None:
            style["num_format"] = number_format
        return styled(value, **style)

    def _row(self, sheet: Any, values: Iterable[Any], **style: Any) -> None:
        sheet.append([None if value is None else self._cell(sheet, value, **style) for value in values])

    def _heading(self, sheet: Any, data: ReportData, title: Text) -> None:
        """Rows 1 to HEADING_ROWS: title, period (two date cells), what is
        counted, whose money, rounding, when generated, blank lines."""
        figures = data.figures
        context = figures.context
        funder = _("All funders, added together") if figures.funder == ALL_FUNDERS else figures.funder or "—"
        sheet.append([self._cell(sheet, str(title), font=TITLE)])
        sheet.append(
            [
                self._cell(sheet, _("Period"), font=BOLD),
                self._cell(sheet, context.period.date_from),
                self._cell(sheet, context.period.date_to),
            ]
        )
        for label, value in (
            (_("Counted"), context.describe()),
            (_("Scope"), data.scope_description),
            (_("Money of"), funder),
            (_("Rounding"), str(Rounding(figures.rounding).label)),
            (_("Generated"), timezone.localtime(data.generated_at).replace(microsecond=0)),
        ):
            sheet.append([self._cell(sheet, label, font=BOLD), self._cell(sheet, value)])
        sheet.append([])

    @staticmethod
    def _row_names(figures: FigureSet) -> list[str | None]:
        return [
            partner.name if partner is not None else _("Not split between partners") if slug != "total" else None
            for slug, partner, _row in figure_rows(figures)
        ]

    def _summary(self, sheet: Any, data: ReportData) -> None:
        figures = data.figures
        rows = figure_rows(figures)
        names = [name or pgettext("report row", "Total") for name in self._row_names(figures)]
        sheet.set_widths([42])
        sheet.set_widths([13] * 3 * len(rows), first_column=self.SUMMARY_FIRST_COLUMN - 1)
        sheet.freeze(self.SUMMARY_FIRST_ROW - 1, self.SUMMARY_FIRST_COLUMN - 1)
        self._heading(sheet, data, _("Quarterly outcome report"))
        head = [self._cell(sheet, _("Figure"), font=BOLD), self._cell(sheet, _("Unit"), font=BOLD)]
        sub = [None, None]
        for name in names:
            head += [self._cell(sheet, name, font=BOLD), None, None]
            sub += [
                self._cell(sheet, label, font=BOLD, fill=HEADER_FILL)
                for label in (_("Numerator"), _("Denominator"), _("Value"))
            ]
        sheet.append(head)
        sheet.append(sub)
        for key in figures.keys:
            definition = get(key)
            line: list[Any] = [str(definition.label), str(Unit(definition.unit).label)]
            for _slug, _partner, row in rows:
                figure = row.get(key)
                parts = (None, None, None) if figure is None else (figure.numerator, figure.denominator, figure.value)
                for offset, value in enumerate(parts):
                    if value is None:
                        line.append(None)
                    else:
                        number_format = _number_format(value, definition.unit if offset == 2 else None)
                        line.append(self._cell(sheet, value, number_format=number_format))
            sheet.append(line)
        sheet.append([])
        sheet.append([_("An empty value means there is no denominator (nothing to divide by) or does not apply.")])
        sheet.append([_("Definitions, rounding and sources: see the Notes sheet.")])

    def _funding(self, sheet: Any, data: ReportData) -> None:
        sheet.set_widths([42])
        self._heading(sheet, data, _("Money per convention"))
        columns = (
            _("Funding convention"),
            _("Funder"),
            _("Start"),
            _("End"),
            _("Target attainment: numerator"),
            _("Target attainment: denominator"),
            _("Target attainment (%)"),
            _("Planned budget per duo (EUR)"),
            _("Duos started under it up to the period's end"),
            _("Actual budget per duo (EUR)"),
        )
        self._row(sheet, columns, font=BOLD)
        for row in data.conventions:
            figures = row["figures"]
            attainment, planned, actual = (
                figures[key] for key in ("target_attainment", "budget_per_duo_planned", "budget_per_duo_actual")
            )
            convention = row.get("convention")
            head = (
                [convention.name, convention.funder, convention.period_start, convention.period_end]
                if convention is not None
                else [_("Total of %(funder)s") % {"funder": row["funder"]}, row["funder"], None, None]
            )
            self._row(
                sheet,
                [*head, attainment.numerator, attainment.denominator, attainment.value]
                + [planned.value, actual.denominator, actual.value],
            )

    def _outcomes(self, sheet: Any, data: ReportData) -> None:
        figures = data.figures
        sheet.set_widths([42])
        self._heading(sheet, data, _("Primary outcomes of the closed duos"))
        partners = [partner for partner, _row in figures.partners]
        self._row(sheet, [_("Outcome"), *[partner.name for partner in partners], _("Total")], font=BOLD)
        for row in outcome_table(data.outcome_counts, [partner.pk for partner in partners]):
            label = str(row["label"])
            self._row(sheet, [("    " + label) if row.get("indent") else label, *row["counts"], row["total"]])

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

    def _duos(self, sheet: Any, data: ReportData) -> None:
        sheet.set_widths([18] * len(self.DUO_COLUMNS))
        sheet.freeze(self.HEADING_ROWS + 1, 1)
        title = (
            _("Duos of the cohort") if data.figures.context.is_cohort else _("Duos active at some time in the period")
        )
        self._heading(sheet, data, title)
        self._row(sheet, [label for _key, label in self.DUO_COLUMNS], font=BOLD)
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
                line.append(None if value in ("", None) else value)  # typed by the book
            sheet.append(line)

    def _notes(self, sheet: Any, data: ReportData) -> None:
        figures = data.figures
        sheet.set_widths([32, 60, 60, 60])
        self._heading(sheet, data, _("How the figures are computed"))
        lines = [
            (_("Counted"), figures.context.describe()),
            (
                _("Closed duos"),
                _(
                    "In the view 'closed in the period', the duos closed in the period; in the cohort view, the "
                    "duos started in the period and closed by the as-of date. Open duos are never in a denominator."
                ),
            ),
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
                _("Privacy"),
                _("Duos appear under a pseudonymous id only: no names, job-seeker numbers or migration background."),
            ),
        ]
        for label, text in lines:
            sheet.append([self._cell(sheet, label, font=BOLD), self._cell(sheet, str(text), alignment=WRAP)])
        sheet.append([])
        self._row(sheet, [_("Figure"), _("Numerator"), _("Denominator"), _("Choices made"), _("Version")], font=BOLD)
        for key in figures.keys:
            definition = get(key)
            sheet.append(
                [
                    self._cell(sheet, str(definition.label)),
                    self._cell(sheet, str(definition.numerator_text), alignment=WRAP),
                    self._cell(sheet, str(definition.denominator_text), alignment=WRAP),
                    self._cell(sheet, " ".join(str(choice) for choice in definition.choices), alignment=WRAP),
                    self._cell(sheet, definition.version),
                ]
            )

    def _restatements(self, sheet: Any, data: ReportData) -> None:
        """Published quarters whose figures changed since: per quarter, each
        figure published and current, then the corrections made since."""
        sheet.set_widths([12, 28, 42, *[16] * 6])
        self._heading(sheet, data, _("Restatements of published quarters"))
        columns = (
            _("Quarter"),
            _("Scope"),
            _("Figure"),
            _("Published: numerator"),
            _("Published: denominator"),
            _("Published: value"),
            _("Current: numerator"),
            _("Current: denominator"),
            _("Current: value"),
        )
        self._row(sheet, columns, font=BOLD)
        for restatement in data.restatements:
            for item in restatement.figures:
                current = item.current
                parts = [item.published.numerator, item.published.denominator, item.published.value]
                parts += (
                    [None, None, None] if current is None else [current.numerator, current.denominator, current.value]
                )
                self._row(sheet, [restatement.quarter, item.scope_label, str(item.info.label), *parts])
        sheet.append([])
        self._row(
            sheet,
            (
                _("Quarter"),
                _("Published on"),
                _("Duo (pseudonymous id)"),
                _("Correction"),
                _("Reason"),
                _("By"),
                _("On"),
            ),
            font=BOLD,
        )
        for restatement in data.restatements:
            for correction in restatement.corrections:
                self._row(
                    sheet,
                    [
                        restatement.quarter,
                        timezone.localtime(restatement.publication.published_at).replace(microsecond=0),
                        duo_pseudonym(correction.duo_id),
                        str(correction.get_kind_display()),
                        correction.reason,
                        made_by_name(correction) or None,
                        timezone.localtime(correction.made_at).replace(microsecond=0),
                    ],
                )
