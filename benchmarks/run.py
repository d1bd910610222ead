"""The scale benchmark, on PostgreSQL with the scale data.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/mentoring_scale python benchmarks/run.py
    python benchmarks/run.py --repeat 20 --quarter 2025Q3 --output benchmarks/results/latest.json
    python benchmarks/run.py --generate --markdown benchmarks/RESULTS.md   # regenerate the data, time it

Run from the repository root. On a fresh database it migrates and, when no
scale data exist, runs ``generate_scale_data`` (timed) first. Every timing
is repeated (``--repeat``, after one warm-up run) and reported as median and
p95. Measures:

1. the figures of one quarter for all partners through the reporting
   selectors (``figure_set_for_user``, what the dashboard and the report use),
   the same figures from one hand-written SQL query per figure family (the
   floor, ``benchmarks/floor.py``), and their ratio; the two must agree on
   every numerator and denominator (checked);
2. pages through ``django.test.Client`` with a logged-in Actiris staff user
   (``benchmark-staff``, created when absent): the dashboard, the duo list
   filtered on closed duos (first page and page 2000), a duo detail page with
   30 meetings; server time and query count;
3. the quarterly XLSX report (``manage.py report --format xlsx``): build time
   in-process, Python heap peak (tracemalloc) and the peak RSS of a separate
   process building it;
4. the naive baseline: the quarter's duos and their outcomes loaded into
   Python and counted there, and the ratio to the selectors and to the floor.

Timing targets live here, never in unit tests. The server runs as in
production: ``DEBUG`` off (no query log) and persistent connections
(``CONN_MAX_AGE=60`` unless set), so a page does not pay a new connection.
"""

import argparse
import datetime
import io
import json
import math
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
import tracemalloc
import warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mentoring.settings")
os.environ.setdefault("CONN_MAX_AGE", "60")

BENCHMARK_USERNAME = "benchmark-staff"
DEEP_PAGE = 2000

# name: (label, target text, check(measure, results) -> (met, how far))
TARGET_MS = {
    "figures_selectors": 300,
    "dashboard": 500,
    "duo_list_first_page": 150,
    "duo_list_deep_page": 150,
    "duo_detail": 100,
    "xlsx_build": 20_000,
    "generate": 300_000,
}


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeat", type=int, default=10, help="Timed runs per measure (default 10).")
    parser.add_argument("--xlsx-repeat", type=int, default=3, help="Timed XLSX builds (default 3).")
    parser.add_argument("--quarter", default="2025Q3", help="Quarter of the figures and the report (default 2025Q3).")
    parser.add_argument("--output", default="benchmarks/results/latest.json", help="JSON results file.")
    parser.add_argument(
        "--markdown", help="Also write the table as Markdown to this file (e.g. benchmarks/RESULTS.md)."
    )
    parser.add_argument(
        "--generate", action="store_true", help="Regenerate the scale data first (--reset) and time it."
    )
    parser.add_argument("--duos", type=int, default=100_000, help="Duos to generate when generating (default 100000).")
    parser.add_argument(
        "--extra-quarters",
        type=lambda value: [q.strip() for q in value.split(",") if q.strip()],
        default=["2020Q2"],
        help="Further quarters whose figures (selectors and floor) are measured too (default 2020Q2; '' for none).",
    )
    parser.add_argument(
        "--compare-jit",
        action="store_true",
        help="Run every measure a second time with PostgreSQL's JIT on (the app turns it off) and show both.",
    )
    parser.add_argument(
        "--skip", default="", help="Comma-separated groups to skip: speed,fast,figures,pages,search,xlsx,naive."
    )
    parser.add_argument(
        "--load",
        action="store_true",
        help="Only the load test (benchmarks/load.py): gunicorn, 3 workers, 8 client threads for 60 s.",
    )
    parser.add_argument("--load-seconds", type=int, default=60, help="Duration of the load test (default 60).")
    parser.add_argument(
        "--load-alone-seconds",
        type=int,
        default=30,
        help="After the mixed load test, each page alone under the same clients for this long (default 30; 0: skip).",
    )
    return parser.parse_args()


# --- measuring ---------------------------------------------------------------------------


def timed_runs(function, repeat, warmup=1):
    """Milliseconds of ``repeat`` calls of ``function`` after ``warmup`` calls."""
    for _ in range(warmup):
        function()
    runs = []
    for _ in range(repeat):
        started = time.perf_counter()
        function()
        runs.append((time.perf_counter() - started) * 1000)
    return runs


def summary(runs):
    ordered = sorted(runs)
    return {
        "median_ms": round(statistics.median(ordered), 1),
        "p95_ms": round(ordered[max(0, math.ceil(0.95 * len(ordered)) - 1)], 1),
        "runs_ms": [round(r, 1) for r in runs],
    }


def queries_of(function):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as context:
        function()
    return context.captured_queries


# --- setup -------------------------------------------------------------------------------


def machine_info():
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        pg_version = cursor.fetchone()[0]
        cursor.execute("SHOW shared_buffers")
        shared_buffers = cursor.fetchone()[0]
        cursor.execute("SHOW work_mem")
        work_mem = cursor.fetchone()[0]
        cursor.execute("SHOW jit")
        jit = cursor.fetchone()[0]
    memory_kb = 0
    cpu = platform.processor()
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                memory_kb = int(line.split()[1])
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    import django

    return {
        "nproc": len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count(),
        "ram_gb": round(memory_kb / 1024 / 1024, 1),
        "cpu": cpu,
        "postgresql": pg_version,
        "shared_buffers": shared_buffers,
        "work_mem": work_mem,
        "jit": jit,
        "python": platform.python_version(),
        "django": django.get_version(),
        "platform": platform.platform(),
    }


def git_commit():
    try:
        return subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True, check=True
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return None


def ensure_data(args, results):
    """Migrate; generate the scale data when absent (or ``--generate``), timed."""
    from django.core.management import call_command

    from duos.models import Duo

    call_command("migrate", verbosity=0, interactive=False)
    present = Duo.objects.filter(partner__slug__startswith="scale-partner-").exists()
    if present and not args.generate:
        return
    print(f"Generating {args.duos:,} duos (generate_scale_data --reset)...", flush=True)
    command = [sys.executable, "manage.py", "generate_scale_data", "--duos", str(args.duos), "--reset", "-v", "0"]
    started = time.perf_counter()
    subprocess.run(command, cwd=ROOT, check=True)
    elapsed = (time.perf_counter() - started) * 1000
    results["measures"]["generate"] = {"median_ms": round(elapsed, 1), "p95_ms": None, "runs_ms": [round(elapsed, 1)]}
    results["measures"]["generate"]["note"] = f"{args.duos:,} duos, one run, including process start"


def benchmark_user():
    from django.contrib.auth import get_user_model

    from programmes.models import Membership, Role

    user, _created = get_user_model().objects.get_or_create(
        username=BENCHMARK_USERNAME, defaults={"email": "benchmark@example.org"}
    )
    if not user.has_usable_password():
        user.set_unusable_password()
    Membership.objects.get_or_create(user=user, defaults={"role": Role.STAFF})
    return user


# --- 1. figures --------------------------------------------------------------------------


def figure_pairs(figure_set):
    """``{partner_id or None: {key: (numerator, denominator)}}`` of a FigureSet."""
    pairs = {None: {key: (f.numerator, f.denominator) for key, f in figure_set.total.items()}}
    for partner, figures in figure_set.partners:
        pairs[partner.pk] = {key: (f.numerator, f.denominator) for key, f in figures.items()}
    return pairs


def _same(a, b):
    if a is None or b is None:
        return (a or 0) == (b or 0)
    return abs(float(a) - float(b)) < 0.01


def compare(selectors, floor):
    """Differences between the selectors' and the floor's numerators and denominators."""
    differences = []
    for partner_id, figures in floor.items():
        for key, (numerator, denominator) in figures.items():
            got = selectors.get(partner_id, {}).get(key)
            if got is None:
                if numerator or denominator:
                    differences.append(f"{key} partner={partner_id}: selectors none, floor {numerator}/{denominator}")
                continue
            if not (_same(got[0], numerator) and _same(got[1], denominator)):
                differences.append(
                    f"{key} partner={partner_id}: selectors {got[0]}/{got[1]}, floor {numerator}/{denominator}"
                )
    return differences


def bench_figures(args, results, user, period, suffix=""):
    """Selectors and floor for ``period``; ``suffix`` names the measures of an extra quarter."""
    from benchmarks import floor
    from reporting.selectors import ReportScope, figure_set_for_user

    scope = ReportScope(period=period)
    measures = results["measures"]

    def selectors():
        return figure_set_for_user(user, scope)

    measures[f"figures_selectors{suffix}"] = summary(timed_runs(selectors, args.repeat))
    measures[f"figures_selectors{suffix}"]["queries"] = len(queries_of(selectors))

    families = {
        "outcomes": floor.outcomes_family,
        "cadence": floor.cadence_family,
        "funding": floor.funding_family,
    }
    floor_total = []
    for name, function in families.items():
        runs = timed_runs(lambda function=function: function(period.date_from, period.date_to), args.repeat)
        measures[f"figures_floor_{name}{suffix}"] = summary(runs)
        measures[f"figures_floor_{name}{suffix}"]["queries"] = 1
        floor_total.append(runs)
    runs = [sum(parts) for parts in zip(*floor_total, strict=True)]
    measures[f"figures_floor{suffix}"] = summary(runs)
    measures[f"figures_floor{suffix}"]["queries"] = len(families)
    measures[f"figures_floor{suffix}"]["note"] = "sum of the three families, run by run"

    ratio = measures[f"figures_selectors{suffix}"]["median_ms"] / max(
        measures[f"figures_floor{suffix}"]["median_ms"], 0.001
    )
    results["ratios"][f"selectors_over_floor{suffix}"] = round(ratio, 2)

    differences = compare(
        figure_pairs(selectors()), floor.as_figure_pairs(floor.figures(period.date_from, period.date_to))
    )
    results["checks"][f"selectors_equal_floor{suffix}"] = not differences
    results["checks"][f"selectors_floor_differences{suffix}"] = differences[:20]
    return differences


# --- 2. pages ----------------------------------------------------------------------------


def duo_with_meetings(count=30):
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT d.id FROM duos_duo d WHERE d.status = 'closed' AND "
            "(SELECT count(*) FROM duos_meeting m WHERE m.duo_id = d.id) = %s ORDER BY d.id DESC LIMIT 1",
            [count],
        )
        row = cursor.fetchone()
    return row[0] if row else None


def bench_pages(args, results, user, period):
    from django.test import Client

    from benchmarks.speed import signed_in_client

    client = Client()
    signed_in_client(client, user)
    quarter = period.quarter_label
    duo_id = duo_with_meetings(30)
    pages = {
        "dashboard": f"/reporting/?quarter={quarter}",
        "duo_list_first_page": "/duos/?status=closed",
        "duo_list_deep_page": f"/duos/?status=closed&page={DEEP_PAGE}",
        "duo_detail": f"/duos/{duo_id}/",
        "duo_list_behind_cadence": "/duos/?status=active&behind_cadence=yes",
    }
    for name, url in pages.items():
        response = client.get(url)
        entry = {"url": url, "status": response.status_code}
        if response.status_code != 200:
            entry["note"] = f"HTTP {response.status_code}: not measured"
            results["measures"][name] = entry
            print(f"  {name}: {url} answered {response.status_code}", flush=True)
            continue

        def get(url=url):
            response = client.get(url)
            assert response.status_code == 200, (url, response.status_code)
            return response

        entry.update(summary(timed_runs(get, args.repeat)))
        entry["queries"] = len(queries_of(get))
        results["measures"][name] = entry


# --- 3. XLSX -----------------------------------------------------------------------------


def bench_xlsx(args, results, period):
    from django.core.management import call_command

    quarter = period.quarter_label
    with tempfile.TemporaryDirectory() as directory:
        output = os.path.join(directory, f"report-{quarter}.xlsx")

        def build():
            call_command("report", quarter=quarter, format="xlsx", output=output, stderr=io.StringIO())

        entry = summary(timed_runs(build, args.xlsx_repeat))
        entry["bytes"] = os.path.getsize(output)
        entry["queries"] = len(queries_of(build))
        tracemalloc.start()
        build()
        entry["tracemalloc_peak_mb"] = round(tracemalloc.get_traced_memory()[1] / 1024 / 1024, 1)
        tracemalloc.stop()

        command = [sys.executable, "manage.py", "report", "--quarter", quarter, "--format", "xlsx", "--output", output]
        started = time.perf_counter()
        process = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        _pid, status, usage = os.wait4(process.pid, 0)
        entry["subprocess_wall_ms"] = round((time.perf_counter() - started) * 1000, 1)
        entry["subprocess_exit"] = os.waitstatus_to_exitcode(status)
        entry["peak_rss_mb"] = round(usage.ru_maxrss / 1024, 1)  # KiB on Linux
    results["measures"]["xlsx_build"] = entry


# --- 4. naive baseline -------------------------------------------------------------------


def naive_figures(period):
    """The outcome family counted in Python: every duo alive in the period and
    its outcomes loaded, then looped over."""
    from django.db.models import Q

    from duos.models import Duo

    start, end = period.date_from, period.date_to
    duos = (
        Duo.objects.filter(start_date__lte=end)
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=start))
        .prefetch_related("outcomes")
    )
    rows = {}
    for duo in duos:
        for key in (duo.partner_id, None):
            row = rows.setdefault(key, dict.fromkeys(("started", "closed", "active", "job", "positive", "cdi"), 0))
            if start <= duo.start_date <= end:
                row["started"] += 1
            if duo.end_date is None or duo.end_date > end:
                row["active"] += 1
            if duo.status == "closed" and start <= duo.end_date <= end:
                row["closed"] += 1
                primary = next((o for o in duo.outcomes.all() if o.is_primary), None)
                if primary is not None and primary.type == "job":
                    row["job"] += 1
                    row["cdi"] += primary.contract_type == "cdi"
                if primary is not None and primary.type not in ("none", "unknown"):
                    row["positive"] += 1
    return rows


def bench_naive(args, results, period):
    from benchmarks import floor

    entry = summary(timed_runs(lambda: naive_figures(period), max(3, args.repeat // 2)))
    entry["queries"] = len(queries_of(lambda: naive_figures(period)))
    entry["note"] = "outcome family only (no cadence, no funding)"
    results["measures"]["naive_python"] = entry
    naive_total = naive_figures(period)[None]
    floor_total = floor.outcomes_family(period.date_from, period.date_to)[None]
    results["checks"]["naive_equals_floor"] = (
        naive_total["closed"] == floor_total["duos_closed"] and naive_total["job"] == floor_total["employment"]
    )
    measures = results["measures"]
    if "figures_selectors" in measures:
        results["ratios"]["naive_over_selectors"] = round(
            entry["median_ms"] / measures["figures_selectors"]["median_ms"], 2
        )
    if "figures_floor_outcomes" in measures:
        results["ratios"]["naive_over_floor_outcomes"] = round(
            entry["median_ms"] / max(measures["figures_floor_outcomes"]["median_ms"], 0.001), 1
        )


def run_suite(args, results, user, period, skip):
    """Every measure not in ``skip``, into ``results`` (measures, ratios, checks)."""
    from benchmarks.speed import bench_speed
    from reporting.figures import Period

    if "speed" not in skip:
        bench_speed(args, results, user, period, figure_pairs=figure_pairs, compare=compare)
    if "fast" not in skip:
        from benchmarks.fast import bench_fast

        bench_fast(args, results, user)
    if "figures" not in skip:
        print("1. figures...", flush=True)
        differences = bench_figures(args, results, user, period)
        for quarter in args.extra_quarters:
            differences += bench_figures(args, results, user, Period.quarter(quarter), suffix=f"_{quarter}")
        for line in differences[:10]:
            print(f"  differs: {line}")
    if "naive" not in skip:
        print("4. naive baseline...", flush=True)
        bench_naive(args, results, period)
    if "pages" not in skip:
        print("2. pages...", flush=True)
        bench_pages(args, results, user, period)
    if "search" not in skip:
        from benchmarks.search import bench_search

        print("search: lists searched, each interleaved with the unsearched list...", flush=True)
        bench_search(args, results, user)
    if "xlsx" not in skip:
        print("3. XLSX report...", flush=True)
        try:
            bench_xlsx(args, results, period)
        except Exception as exc:  # report a broken exporter, do not stop
            results["measures"]["xlsx_build"] = {"note": f"failed: {exc!r}"}
            print(f"  XLSX failed: {exc!r}")


def main():
    args = parse_args()
    os.chdir(ROOT)
    import django

    django.setup()
    from django.conf import settings
    from django.db import connection

    settings.DEBUG = False  # as in production: no query log, no debug templates
    warnings.filterwarnings("ignore", message="No directory at")  # whitenoise: no collectstatic here

    if connection.vendor != "postgresql":
        sys.exit(
            "The benchmark needs PostgreSQL: set DATABASE_URL, e.g. "
            "DATABASE_URL=postgres://postgres@127.0.0.1:5432/mentoring_scale python benchmarks/run.py"
        )
    from reporting.figures import Period

    period = Period.quarter(args.quarter)
    if args.load:
        from benchmarks.load import run_load

        return run_load(args, ROOT)
    skip = {part.strip() for part in args.skip.split(",") if part.strip()}
    results = {
        "date": datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "commit": git_commit(),
        "quarter": period.quarter_label,
        "repeat": args.repeat,
        "arguments": " ".join(sys.argv[1:]),
        "extra_quarters": args.extra_quarters,
        "measures": {},
        "ratios": {},
        "checks": {},
    }
    ensure_data(args, results)
    results["load_average_before"] = [round(x, 2) for x in os.getloadavg()]
    results["machine"] = machine_info()
    from benchmarks.data import data_info

    results["data"] = data_info(period)
    user = benchmark_user()
    data = results["data"]
    print(
        f"Benchmark on {data['duos']:,} duos, quarter {period} ({data['quarter_closed']:,} duos closed in it, "
        f"{data['quarter_closed_partner_01']:,} at scale-partner-01), {args.repeat} runs each.",
        flush=True,
    )

    run_suite(args, results, user, period, skip)
    if args.compare_jit:
        # The app's settings turn JIT off (mentoring/settings.py, POSTGRES_JIT);
        # the comparison turns it back on, here and in subprocesses.
        print("Again with jit = on on every connection (POSTGRES_JIT=true)...", flush=True)
        os.environ["POSTGRES_JIT"] = "true"
        jit_on_options = f"-c random_page_cost={settings.POSTGRES_RANDOM_PAGE_COST} -c jit=on"
        settings.DATABASES["default"].setdefault("OPTIONS", {})["options"] = jit_on_options
        connection.settings_dict.setdefault("OPTIONS", {})["options"] = jit_on_options
        connection.close()  # the next query reconnects with the option
        jit_on = {"quarter": results["quarter"], "extra_quarters": args.extra_quarters}
        jit_on.update(measures={}, ratios={}, checks={})
        run_suite(args, jit_on, user, period, skip)
        results["jit_on"] = jit_on

    results["load_average_after"] = [round(x, 2) for x in os.getloadavg()]
    from benchmarks.fast import fast_rows
    from benchmarks.speed import speed_rows
    from benchmarks.table import HEADERS, HEADERS_JIT, SPEED_HEADERS, markdown, merge_rows, print_table, table_rows

    rows = table_rows(results)
    if "jit_on" in results:
        rows = merge_rows(rows, table_rows(results["jit_on"]))
    headers = HEADERS_JIT if "jit_on" in results else HEADERS
    print()
    print_table(headers, rows)
    for extra in (speed_rows(results), fast_rows(results)):
        if extra:
            print()
            print_table(SPEED_HEADERS, extra)
    from benchmarks.search import SEARCH_HEADERS, search_rows

    searched = search_rows(results)
    if searched:
        print()
        print_table(SEARCH_HEADERS, searched)
    output = ROOT / args.output
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(json.dumps(results, indent=2, default=str))
    print(f"\nResults written to {args.output}")
    if args.markdown:
        (ROOT / args.markdown).write_text(markdown(results, headers, rows))
        print(f"Table written to {args.markdown}")


if __name__ == "__main__":
    main()
