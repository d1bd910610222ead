"""Flat exports: JSON (the ``report`` command's default) and two CSV flavours.

* **CSV for Excel** (``mentoring.spreadsheets``, as every list export) opens
  in one click in a spreadsheet set up for Belgium: ``;`` between fields,
  numbers in the report's language (decimal comma in French and Dutch), dates
  day first, UTF-8 with a byte-order mark, translated column headers, partner
  names.
* **CSV for machines** is for scripts: ``,``, decimal point, stable English
  keys (``employment_rate_numerator``...), partner short names.

Both: one row per partner, then "not split between partners" (money that
belongs to no single partner) when there is some, then the total; for every
figure of the registry its numerator, denominator and value.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext

from mentoring.spreadsheets import csv_for_excel_lines

from ..figures import ALL_FUNDERS, NOT_SPLIT, FigureView, Rounding, get
from . import Exporter, register
from .cells import machine_value, plain_number

if TYPE_CHECKING:
    from programmes.models import Partner

    from ..figures.evaluate import FigureSet
    from ..selectors import ReportData


@register
class FiguresJsonExporter(Exporter):
    """All figures as JSON, with the version of each definition."""

    identifier = "json"
    title = gettext_lazy("JSON (figures only)")
    extension = "json"
    content_type = "application/json"
    requestable = False  # the ``report`` command and published quarters only

    def build(self, data: ReportData) -> bytes:
        def encode(value: Any) -> Any:
            if isinstance(value, Decimal):
                return plain_number(value)
            raise TypeError(type(value))

        content = data.figures.as_dict()
        # Published quarters whose figures changed since (``reporting.restatements``).
        content["restatements"] = [restatement.as_dict() for restatement in data.restatements]
        return (json.dumps(content, indent=2, default=encode) + "\n").encode()


def figure_rows(figures: FigureSet) -> list[tuple[str, Partner | None, dict[str, Any]]]:
    """``[(row key, partner or None, {key: Figure or None})]``: partners, the
    not-split row when there is one, the total."""
    rows = [(partner.slug, partner, row) for partner, row in figures.partners]
    if figures.not_split is not None:
        rows.append((NOT_SPLIT, None, figures.not_split))
    rows.append(("total", None, figures.total))
    return rows


@register
class FiguresCsvExporter(Exporter):
    """CSV for machines: stable English keys, ``,``, decimal point, UTF-8."""

    identifier = "csv"
    title = gettext_lazy("CSV for machines (one row per partner)")
    extension = "csv"
    content_type = "text/csv; charset=utf-8"

    def header(self, keys: Iterable[str]) -> list[str]:
        columns = ["partner", "period_from", "period_to", "view", "as_of", "funder", "rounding"]
        for key in keys:
            columns += [f"{key}_numerator", f"{key}_denominator", f"{key}_value"]
        return columns

    def build(self, data: ReportData) -> bytes:
        figures = data.figures
        context = figures.context
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(self.header(figures.keys))
        common = [
            context.period.date_from.isoformat(),
            context.period.date_to.isoformat(),
            str(context.view),
            context.cohort_as_of.isoformat() if context.is_cohort else "",
            machine_value(figures.funder),
            str(figures.rounding),
        ]
        for slug, _partner, row in figure_rows(figures):
            line = [machine_value(slug), *common]
            for key in figures.keys:
                figure = row.get(key)
                parts = (None, None, None) if figure is None else (figure.numerator, figure.denominator, figure.value)
                line += [machine_value(part) for part in parts]
            writer.writerow(line)
        return out.getvalue().encode("utf-8")


@register
class FiguresExcelCsvExporter(Exporter):
    """CSV for Excel: ``;``, numbers and dates in the report's language,
    UTF-8 with a byte-order mark, translated headers, partner names."""

    identifier = "csv-excel"
    title = gettext_lazy("CSV for Excel (one row per partner)")
    extension = "csv"
    content_type = "text/csv; charset=utf-8"

    def header(self, keys: Iterable[str]) -> list[str]:
        return partner_table_header(keys)

    def build(self, data: ReportData) -> bytes:
        figures = data.figures
        rows = partner_table_rows(figures)
        return b"".join(csv_for_excel_lines(self.header(figures.keys), rows))


def partner_table_header(keys: Iterable[str]) -> list[str]:
    """The translated column headers of the table per partner: the row's name,
    the settings of the figures, then numerator, denominator and value of each
    figure of ``keys``. Shared by "CSV for Excel" and the dashboard's table
    download."""
    columns = [_("Partner"), _("From"), _("To"), _("Count"), _("Outcomes as of"), _("Money of"), _("Rounding")]
    for key in keys:
        label = get(key).label
        columns += [
            _("%(figure)s: numerator") % {"figure": label},
            _("%(figure)s: denominator") % {"figure": label},
            _("%(figure)s: value") % {"figure": label},
        ]
    return columns


def partner_table_rows(figures: FigureSet) -> list[list[Any]]:
    """One row per partner, the not-split row and the total of ``figures``
    (a ``FigureSet``), typed values in the order of ``partner_table_header``."""
    context = figures.context
    funder = _("All funders, added together") if figures.funder == ALL_FUNDERS else figures.funder
    common = [
        context.period.date_from,
        context.period.date_to,
        str(FigureView(context.view).label),
        context.as_of if context.is_cohort else None,
        funder,
        str(Rounding(figures.rounding).label),
    ]
    rows = []
    for slug, partner, row in figure_rows(figures):
        if partner is not None:
            name = partner.name
        elif slug == NOT_SPLIT:
            name = _("Not split between partners")
        else:
            name = pgettext("report row", "Total")
        line = [name, *common]
        for key in figures.keys:
            figure = row.get(key)
            line += [None, None, None] if figure is None else [figure.numerator, figure.denominator, figure.value]
        rows.append(line)
    return rows
