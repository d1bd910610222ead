"""Flat exports: JSON (the ``report`` command's default) and two CSV flavours.

* **CSV for Excel** opens in one click in a spreadsheet set up for Belgium:
  ``;`` between fields, numbers in the report's language (decimal comma in
  French and Dutch), UTF-8 with a byte-order mark, translated column headers,
  partner names.
* **CSV for machines** is for scripts: ``,``, decimal point, stable English
  keys (``employment_rate_numerator``...), partner short names.

Both: one row per partner, then "not split between partners" (money that
belongs to no single partner) when there is some, then the total; for every
figure of the registry its numerator, denominator and value.
"""

import csv
import io
import json
from decimal import Decimal

from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext

from ..figures import ALL_FUNDERS, NOT_SPLIT, FigureView, Rounding, get
from . import Exporter, register
from .cells import csv_number, csv_text, plain_number


@register
class FiguresJsonExporter(Exporter):
    """All figures as JSON, with the version of each definition."""

    identifier = "json"
    title = gettext_lazy("JSON (figures only)")
    extension = "json"
    content_type = "application/json"

    def may_run(self, user):
        return False  # command line only

    def build(self, data):
        def encode(value):
            if isinstance(value, Decimal):
                return plain_number(value)
            raise TypeError(type(value))

        return (json.dumps(data.figures.as_dict(), indent=2, default=encode) + "\n").encode()


def figure_rows(figures):
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

    def header(self, keys):
        columns = ["partner", "period_from", "period_to", "view", "as_of", "funder", "rounding"]
        for key in keys:
            columns += [f"{key}_numerator", f"{key}_denominator", f"{key}_value"]
        return columns

    def build(self, data):
        figures = data.figures
        context = figures.context
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(self.header(figures.keys))
        common = [
            context.period.date_from.isoformat(),
            context.period.date_to.isoformat(),
            str(context.view),
            context.as_of.isoformat() if context.is_cohort else "",
            csv_text(figures.funder),
            str(figures.rounding),
        ]
        for slug, _partner, row in figure_rows(figures):
            line = [csv_text(slug), *common]
            for key in figures.keys:
                figure = row.get(key)
                parts = (None, None, None) if figure is None else (figure.numerator, figure.denominator, figure.value)
                line += [csv_number(part, localized=False) for part in parts]
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

    def header(self, keys):
        columns = [_("Partner"), _("From"), _("To"), _("Count"), _("Outcomes as of"), _("Money of"), _("Rounding")]
        for key in keys:
            label = get(key).label
            columns += [
                _("%(figure)s: numerator") % {"figure": label},
                _("%(figure)s: denominator") % {"figure": label},
                _("%(figure)s: value") % {"figure": label},
            ]
        return columns

    def build(self, data):
        figures = data.figures
        context = figures.context
        out = io.StringIO()
        writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
        writer.writerow([csv_text(column) for column in self.header(figures.keys)])
        funder = _("All funders, added together") if figures.funder == ALL_FUNDERS else figures.funder
        common = [
            date_format(context.period.date_from, "SHORT_DATE_FORMAT"),
            date_format(context.period.date_to, "SHORT_DATE_FORMAT"),
            str(FigureView(context.view).label),
            date_format(context.as_of, "SHORT_DATE_FORMAT") if context.is_cohort else "",
            csv_text(funder),
            str(Rounding(figures.rounding).label),
        ]
        for slug, partner, row in figure_rows(figures):
            if partner is not None:
                name = partner.name
            elif slug == NOT_SPLIT:
                name = _("Not split between partners")
            else:
                name = pgettext("report row", "Total")
            line = [csv_text(name), *common]
            for key in figures.keys:
                figure = row.get(key)
                parts = (None, None, None) if figure is None else (figure.numerator, figure.denominator, figure.value)
                line += [csv_number(part, localized=True) for part in parts]
            writer.writerow(line)
        return ("\ufeff" + out.getvalue()).encode("utf-8")
