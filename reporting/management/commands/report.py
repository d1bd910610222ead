"""``python manage.py report``: the outcome report from the command line.

    python manage.py report --quarter 2019Q2 --format xlsx --output q2.xlsx
    python manage.py report --from 2013-01-01 --to 2017-12-31 \\
        --convention actiris-2013-2017 --rounding truncate --format json --output -
    python manage.py report --from 2013-01-01 --to 2017-12-31 --view cohort --as-of 2017-12-31 \\
        --partner team4job
    python manage.py report --quarter 2019Q2 --format csv-excel --language fr --output .   # a named file

Covers every partner (the command runs with the server's rights). Periods
are validated as in the dashboard (``reporting.periods``). JSON:
``{"period", "view", "rounding", "budget_basis", "funder", "definitions":
{<figure>: <version>}, "partners": [{"partner": slug, <figure>: {...}}],
"not_split": {...} (when money belongs to no single partner), "total":
{<figure>: {...}}}``; each figure is ``{"numerator", "denominator",
"value"}``. A count has ``numerator`` = ``value`` = the count and
``denominator`` = ``null``; a rate without denominator has ``value`` =
``null``; a figure that does not apply is ``null``.
"""

import datetime
import os
import sys

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils import translation

from programmes.models import FundingConvention, Partner, Programme
from reporting.exporters import EXPORTERS, file_name, get_exporter
from reporting.figures import ALL_FUNDERS, BudgetBasis, FigureView, Rounding
from reporting.periods import clean_period, clean_view
from reporting.selectors import ReportScope, report_data, report_sources_for_everyone


def _date(value, option):
    if not value:
        return None
    try:
        return datetime.date.fromisoformat(value)
    except ValueError as exc:
        raise CommandError(f"{option}: not a date (YYYY-MM-DD): {value}") from exc


def _messages(error):
    """``--option: message`` lines of a ``ValidationError`` keyed by form field."""
    options = {"date_from": "--from", "date_to": "--to", "quarter": "--quarter", "as_of": "--as-of", "view": "--view"}
    return "; ".join(
        f"{options.get(field, field)}: {message}"
        for field, messages in error.message_dict.items()
        for message in messages
    )


class Command(BaseCommand):
    help = "Write the outcome report for a period as JSON, CSV (for machines or for Excel) or XLSX."

    def add_arguments(self, parser):
        parser.add_argument("--from", dest="date_from", help="First day, YYYY-MM-DD.")
        parser.add_argument("--to", dest="date_to", help="Last day (included), YYYY-MM-DD.")
        parser.add_argument("--quarter", help="A quarter such as 2018Q3 (instead of --from/--to).")
        parser.add_argument(
            "--view",
            choices=FigureView.values,
            default=FigureView.CLOSED,
            help="closed: duos closed in the period; cohort: duos started in it.",
        )
        parser.add_argument("--as-of", dest="as_of", help="Cohort: outcomes as of this day (default: the last day).")
        parser.add_argument("--partner", help="Partner slug: only this partner.")
        parser.add_argument("--programme", help="Programme slug: only this programme.")
        parser.add_argument("--convention", help="Funding convention slug: only duos under this convention.")
        parser.add_argument(
            "--funder", default="", help=f"Whose money the budgets count ({ALL_FUNDERS} for all funders)."
        )
        parser.add_argument("--rounding", choices=Rounding.values, default=Rounding.HALF_UP)
        parser.add_argument("--budget-basis", choices=BudgetBasis.values, default=BudgetBasis.DAYS)
        parser.add_argument("--format", choices=sorted(EXPORTERS), default="json")
        parser.add_argument(
            "--output",
            default="-",
            help="File to write; - (the default) for standard output; a directory: a named file.",
        )
        parser.add_argument("--language", default="en", help="Language of labels and numbers, e.g. fr, nl, en.")

    def handle(self, *args, **options):
        with translation.override(options["language"]):
            period, view, as_of = self._period(options)
            scope = ReportScope(
                period=period,
                view=view,
                as_of=as_of,
                partner=self._get(Partner, options["partner"], "partner"),
                programme=self._get(Programme, options["programme"], "programme"),
                convention=self._get(FundingConvention, options["convention"], "convention"),
                funder=options["funder"],
                rounding=options["rounding"],
                budget_basis=options["budget_basis"],
            )
            exporter = get_exporter(options["format"])
            content = exporter.build(
                report_data(report_sources_for_everyone(scope), scope, sources_for=report_sources_for_everyone)
            )
        output = options["output"]
        if output == "-":
            if exporter.extension == "xlsx":
                sys.stdout.buffer.write(content)
                sys.stdout.buffer.flush()
            else:
                self.stdout.write(content.decode("utf-8-sig"), ending="")
            return
        if os.path.isdir(output):
            output = os.path.join(
                output,
                file_name(
                    period=scope.period,
                    extension=exporter.extension,
                    language=options["language"],
                    view=scope.view,
                    as_of=scope.as_of,
                    partner=scope.partner,
                    programme=scope.programme,
                    convention=scope.convention,
                    funder=scope.funder,
                ),
            )
        with open(output, "wb") as handle:
            handle.write(content)
        self.stderr.write(f"Wrote {output} ({len(content)} bytes, {scope.period}).")

    def _period(self, options):
        date_from, date_to = _date(options["date_from"], "--from"), _date(options["date_to"], "--to")
        try:
            if options["quarter"]:
                period = clean_period(quarter=options["quarter"])
                if (date_from or date_to) and (date_from, date_to) != (period.date_from, period.date_to):
                    raise CommandError("--quarter and --from/--to disagree; give one or the other.")
            else:
                if not (date_from and date_to):
                    raise CommandError("Give --from and --to, or --quarter.")
                period = clean_period(date_from=date_from, date_to=date_to)
            view, as_of = clean_view(period=period, view=options["view"], as_of=_date(options["as_of"], "--as-of"))
        except ValidationError as exc:
            raise CommandError(_messages(exc)) from exc
        return period, view, as_of

    def _get(self, model, slug, name):
        if not slug:
            return None
        try:
            return model.objects.get(slug=slug)
        except model.DoesNotExist as exc:
            raise CommandError(f"No {name} with slug {slug!r}.") from exc
