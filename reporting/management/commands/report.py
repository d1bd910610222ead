"""``python manage.py report``: the quarterly report from the command line.

    python manage.py report --quarter 2019Q2 --format xlsx --output q2.xlsx
    python manage.py report --from 2013-01-01 --to 2017-12-31 \\
        --convention actiris-2013-2017 --rounding truncate --format json --output -

Covers every partner (the command runs with the server's rights). JSON:
``{"period", "rounding", "budget_basis", "partners": [{"partner": slug,
<figure>: {...}}], "total": {<figure>: {...}}}``; each figure is
``{"numerator", "denominator", "value"}``. A count (``duos_started``,
``duos_closed``, ``duos_active_at_end``) has ``numerator`` = ``value`` = the
count and ``denominator`` = ``null``; a rate without denominator has
``value`` = ``null``.
"""

import datetime
import sys

from django.core.management.base import BaseCommand, CommandError
from django.utils import translation

from programmes.models import FundingConvention, Partner, Programme
from reporting.exporters import get_exporter
from reporting.figures import BudgetBasis, Period, Rounding
from reporting.selectors import ReportScope, report_data, report_sources_for_everyone


def _date(value):
    try:
        return datetime.date.fromisoformat(value)
    except ValueError as exc:
        raise CommandError(f"Not a date (YYYY-MM-DD): {value}") from exc


class Command(BaseCommand):
    help = "Write the outcome report for a period as JSON, CSV or XLSX."

    def add_arguments(self, parser):
        parser.add_argument("--from", dest="date_from", help="First day, YYYY-MM-DD.")
        parser.add_argument("--to", dest="date_to", help="Last day (included), YYYY-MM-DD.")
        parser.add_argument("--quarter", help="A quarter such as 2018Q3 (instead of --from/--to).")
        parser.add_argument("--partner", help="Partner slug: only this partner.")
        parser.add_argument("--programme", help="Programme slug: only this programme.")
        parser.add_argument("--convention", help="Funding convention slug: only duos under this convention.")
        parser.add_argument("--rounding", choices=Rounding.values, default=Rounding.HALF_UP)
        parser.add_argument("--budget-basis", choices=BudgetBasis.values, default=BudgetBasis.DAYS)
        parser.add_argument("--format", choices=["json", "csv", "xlsx"], default="json")
        parser.add_argument("--output", default="-", help="File to write; - (the default) for standard output.")
        parser.add_argument("--language", default="en", help="Language of labels (XLSX), e.g. fr, nl, en.")

    def handle(self, *args, **options):
        scope = ReportScope(
            period=self._period(options),
            partner=self._get(Partner, options["partner"], "partner"),
            programme=self._get(Programme, options["programme"], "programme"),
            convention=self._get(FundingConvention, options["convention"], "convention"),
            rounding=options["rounding"],
            budget_basis=options["budget_basis"],
        )
        exporter = get_exporter(options["format"])
        with translation.override(options["language"]):
            content = exporter.build(report_data(report_sources_for_everyone(scope), scope))
        output = options["output"]
        if output == "-":
            if exporter.extension == "xlsx":
                sys.stdout.buffer.write(content)
                sys.stdout.buffer.flush()
            else:
                self.stdout.write(content.decode(), ending="")
            return
        with open(output, "wb") as handle:
            handle.write(content)
        self.stderr.write(f"Wrote {output} ({len(content)} bytes, {scope.period}).")

    def _period(self, options):
        if options["quarter"]:
            try:
                period = Period.quarter(options["quarter"])
            except ValueError as exc:
                raise CommandError(str(exc)) from exc
            if options["date_from"] or options["date_to"]:
                given = Period(
                    _date(options["date_from"] or period.date_from.isoformat()),
                    _date(options["date_to"] or period.date_to.isoformat()),
                )
                if given != period:
                    raise CommandError("--quarter and --from/--to disagree; give one or the other.")
            return period
        if not (options["date_from"] and options["date_to"]):
            raise CommandError("Give --from and --to, or --quarter.")
        try:
            return Period(_date(options["date_from"]), _date(options["date_to"]))
        except ValueError as exc:
            raise CommandError(str(exc)) from exc

    def _get(self, model, slug, name):
        if not slug:
            return None
        try:
            return model.objects.get(slug=slug)
        except model.DoesNotExist as exc:
            raise CommandError(f"No {name} with slug {slug!r}.") from exc
