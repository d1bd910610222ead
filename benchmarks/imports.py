"""Benchmark of the spreadsheet import: 10,000 rows in at most 60 s on PostgreSQL.

    createdb -h 127.0.0.1 -U postgres mentoring_imports_bench
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/mentoring_imports_bench python benchmarks/imports.py
    python benchmarks/imports.py --rows 10000 --markdown benchmarks/IMPORTS.md

Run from the repository root. The script migrates, creates a partner of its
own for the run (``import-bench-<time>``: a programme, a convention, the
follow-up offsets) and writes the import template filled with ``--rows``
rows: 10 % mentors, 10 % mentees, 10 % duos, 60 % meetings, 7 % outcomes
(closures) and 3 % follow-ups, the mix of a partner's year. Then it times,
once each (a run takes a minute; the machine is shared, so the load average
is printed with the results):

1. **read**: the XLSX read into rows (openpyxl read-only, every cell checked);
2. **preview**: every row through the services, rolled back
   (``imports.engine.import_rows(commit=False)``);
3. **import**: the same, committed: what a worker does once the coordinator
   confirms (the target row: read + import <= 60 s for 10,000 rows);
4. **import again**: the same file a second time, every row unchanged.

The server settings are production's: ``DEBUG`` off (no query log).
Queries are counted with a connection wrapper. Timing targets live here,
never in unit tests.
"""

import argparse
import datetime
import io
import os
import platform
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mentoring.settings")

TARGET_SECONDS = 60
MIX = {"mentors": 0.10, "mentees": 0.10, "duos": 0.10, "meetings": 0.60, "outcomes": 0.07, "follow_ups": 0.03}


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=10_000, help="Rows in the file (default 10,000).")
    parser.add_argument("--markdown", help="Also write the results as Markdown to this file.")
    return parser.parse_args()


class QueryCounter:
    """Counts the queries run on the default connection (``execute_wrapper``)."""

    def __init__(self):
        self.count = 0

    def __call__(self, execute, sql, params, many, context):
        self.count += 1
        return execute(sql, params, many, context)


def rows_for(total, *, today):
    """``{kind: [{column key: value}]}`` for ``total`` rows in the ``MIX``:
    duos started from 900 to 200 days before ``today``, weekly meetings, the
    oldest duos closed (a salaried job, a CDD of 6 months) with their 3-month
    follow-up."""
    counts = {kind: int(total * share) for kind, share in MIX.items()}
    counts["meetings"] += total - sum(counts.values())
    people = counts["duos"]
    first_start = today - datetime.timedelta(days=900)  # the last duos start 200 days ago
    rows = {kind: [] for kind in MIX}
    for n in range(counts["mentors"]):
        rows["mentors"].append(
            {
                "reference": f"M-{n}",
                "first_name": "Mentor",
                "last_name": f"Number {n}",
                "birth_date": datetime.date(1955, 1, 1) + datetime.timedelta(days=n % 3650),
                "gender": "Female" if n % 2 else "Male",
                "employer": "Example SA",
            }
        )
    for n in range(counts["mentees"]):
        rows["mentees"].append(
            {
                "jobseeker_number": f"{30000000 + n}",
                "first_name": "Mentee",
                "last_name": f"Number {n}",
                "birth_date": datetime.date(1995, 1, 1) + datetime.timedelta(days=n % 1800),
                "gender": "Male" if n % 2 else "Female",
                "education_level": "Upper secondary",
            }
        )
    starts = {}
    for n in range(people):
        start = first_start + datetime.timedelta(days=(n * 700) // max(people, 1))
        starts[n] = start
        rows["duos"].append(
            {
                "reference": f"D-{n}",
                "programme": "Bench programme",
                "mentor_reference": f"M-{n % counts['mentors']}",
                "mentee_jobseeker_number": f"{30000000 + n % counts['mentees']}",
                "start_date": start,
                "convention": "import-bench-convention",
            }
        )
    per_duo, extra = divmod(counts["meetings"], people)
    for n in range(people):
        for m in range(per_duo + (1 if n < extra else 0)):
            rows["meetings"].append(
                {
                    "duo_reference": f"D-{n}",
                    "reference": f"{m + 1}",
                    "date": starts[n] + datetime.timedelta(days=3 + 7 * m),
                    "duration_minutes": 60,
                    "place": "Online",
                }
            )
    for n in range(counts["outcomes"]):  # the oldest duos, closed after their six months
        rows["outcomes"].append(
            {
                "duo_reference": f"D-{n}",
                "end_date": starts[n] + datetime.timedelta(days=183),
                "closure_reason": "Completed the planned term",
                "outcome_type": "Salaried job",
                "contract_type": "Fixed-term contract (CDD)",
                "contract_months": 6,
            }
        )
    for n in range(counts["follow_ups"]):
        rows["follow_ups"].append(
            {
                "duo_reference": f"D-{n}",
                "offset_months": 3,
                "date": starts[n] + datetime.timedelta(days=183 + 92),
                "situation": "Salaried job",
                "contract_type": "Fixed-term contract (CDD)",
                "same_job": "Yes",
            }
        )
    return rows


def workbook_bytes(rows):
    """The real template in English, with ``rows`` under the line of rules."""
    from django.utils import translation
    from openpyxl import load_workbook

    from imports.sheets import SHEETS
    from imports.template import build_template

    workbook = load_workbook(io.BytesIO(build_template(language="en")))
    with translation.override("en"):
        for kind, records in rows.items():
            sheet = SHEETS[kind]
            worksheet = workbook[str(sheet.title)]
            for number, record in enumerate(records, start=3):
                for index, column in enumerate(sheet.columns, start=1):
                    value = record.get(column.key)
                    if value is not None:
                        worksheet.cell(row=number, column=index, value=value)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def set_up_partner():
    from decimal import Decimal

    from followups.models import FollowUpOffset
    from programmes.models import ConventionShare, FundingConvention, Partner, Programme

    stamp = datetime.datetime.now().strftime("%Y%m%d%H%M%S")
    partner = Partner.objects.create(name=f"Import benchmark {stamp}", slug=f"import-bench-{stamp}")
    programme = Programme.objects.create(
        partner=partner,
        name="Bench programme",
        slug=f"import-bench-programme-{stamp}",
        duration_months=6,
        min_meetings_per_month=2,
        max_active_duos_per_mentor=2,
    )
    for months in (3, 6, 12):
        FollowUpOffset.objects.get_or_create(programme=programme, months=months)
    convention, _created = FundingConvention.objects.get_or_create(
        slug="import-bench-convention",
        defaults={
            "name": "Import benchmark convention",
            "amount": Decimal("1000000"),
            "period_start": datetime.date(2000, 1, 1),
            "period_end": datetime.date(2099, 12, 31),
            "target_duos_per_year": 1000,
        },
    )
    ConventionShare.objects.create(convention=convention, partner=partner)
    return partner


def timed(label, results, counter, action):
    from django.db import connection

    counter.count = 0
    start = time.perf_counter()
    with connection.execute_wrapper(counter):
        value = action()
    results.append((label, time.perf_counter() - start, counter.count))
    print(f"{label:<40} {results[-1][1]:8.1f} s  {counter.count:>8,} queries", flush=True)
    return value


def main():
    args = parse_args()
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.utils import timezone

    from imports.engine import import_rows
    from imports.reader import read_spreadsheet

    settings.DEBUG = False
    if connection.vendor != "postgresql":
        print("Note: not PostgreSQL; the target is for PostgreSQL (set DATABASE_URL).", file=sys.stderr)
    call_command("migrate", verbosity=0, interactive=False)
    partner = set_up_partner()
    today = timezone.localdate()
    rows = rows_for(args.rows, today=today)
    content = workbook_bytes(rows)
    load_before = os.getloadavg()
    print(
        f"{args.rows:,} rows ({', '.join(f'{k} {len(v):,}' for k, v in rows.items())}), "
        f"{len(content) / 1e6:.1f} MB XLSX, partner {partner.slug}",
        flush=True,
    )

    counter, results = QueryCounter(), []
    parsed = timed("read (XLSX, every cell checked)", results, counter, lambda: read_spreadsheet(io.BytesIO(content)))
    assert parsed.total_rows == args.rows, parsed.total_rows
    preview = timed(
        "preview (rolled back)",
        results,
        counter,
        lambda: import_rows(partner=partner, parsed=parsed, commit=False, today=today),
    )
    assert not preview.errors, preview.errors[:5]
    report = timed(
        "import (committed)",
        results,
        counter,
        lambda: import_rows(partner=partner, parsed=parsed, commit=True, today=today),
    )
    assert report.committed and report.totals()["create"] == args.rows, report.totals()
    again = timed(
        "import again (every row unchanged)",
        results,
        counter,
        lambda: import_rows(partner=partner, parsed=read_spreadsheet(io.BytesIO(content)), commit=True, today=today),
    )
    assert again.totals()["unchanged"] == args.rows, again.totals()
    read_and_import = results[0][1] + results[2][1]
    met = read_and_import <= TARGET_SECONDS
    print(f"read + import: {read_and_import:.1f} s (target <= {TARGET_SECONDS} s): {'met' if met else 'NOT MET'}")
    load_after = os.getloadavg()
    if args.markdown:
        write_markdown(args, results, read_and_import, met, load_before, load_after, connection, rows)


def write_markdown(args, results, read_and_import, met, load_before, load_after, connection, rows):
    with connection.cursor() as cursor:
        cursor.execute("SELECT version()") if connection.vendor == "postgresql" else None
        version = cursor.fetchone()[0].split(",")[0] if connection.vendor == "postgresql" else connection.vendor
    lines = [
        "# Import benchmark",
        "",
        f"`python benchmarks/imports.py --rows {args.rows}` on {datetime.date.today().isoformat()}: "
        f"{os.cpu_count()} cores ({platform.processor() or platform.machine()}), {version}; "
        f"load average {load_before[0]:.2f} before, {load_after[0]:.2f} after.",
        "",
        "Rows: " + ", ".join(f"{kind} {len(records):,}" for kind, records in rows.items()) + ".",
        "",
        "| step | seconds | queries |",
        "| --- | ---: | ---: |",
        *[f"| {label} | {seconds:.1f} | {queries:,} |" for label, seconds, queries in results],
        f"| **read + import** (target <= {TARGET_SECONDS} s) | **{read_and_import:.1f}** | |",
        "",
        f"Target {'met' if met else 'not met'}.",
        "",
    ]
    Path(args.markdown).write_text("\n".join(lines))


if __name__ == "__main__":
    main()
