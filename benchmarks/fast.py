"""The rows of "Fast under load", part 1 (speed), each measured side by side
with its reference in the same run (``speed.interleaved``: round by round, in
alternating order), with the spread of the runs:

a. a coordinator's pages against an Actiris staff user's pages showing the
   same rows (the staff page filtered on the coordinator's partner): the
   dashboard of the quarter, the duo list (first page, page 200, sorted by
   last meeting), the mentee and mentor lists; target <= 1.3x;
b. the duo list sorted by last meeting (``Duo.last_meeting_date``, indexed),
   newest first and oldest first at page 2000, against the list in its
   default order; target <= 150 ms;
c. the mentee and mentor lists, first page and a deep page (page 2000, or
   the last page when there are fewer), against each other; target <= 150 ms;
d. the quarterly XLSX report, each build in a fresh process (the build's own
   time, and the process's peak RSS), against the JSON report of the same
   data (the figures and rows without a spreadsheet); target <= 2 s and
   <= 150 MB.
"""

import json
import math
import os
import subprocess
import sys
import tempfile

from benchmarks.speed import interleaved, ratio, signed_in_client, spread

TARGET_COORDINATOR_OVER_STAFF = 1.3
TARGET_PAGE_MS = 150
TARGET_XLSX_MS = 2000
TARGET_XLSX_MB = 150
COORDINATOR_USERNAME = "benchmark-coordinator"
DEEP_PAGE = 2000
PAGE_SIZE = 25


def benchmark_coordinator():
    """The coordinator of the first scale partner (created when absent)."""
    from django.contrib.auth import get_user_model
    from django_otp.plugins.otp_static.models import StaticDevice

    from programmes.models import Membership, Partner, Role

    partner = Partner.objects.filter(slug__startswith="scale-partner-").order_by("slug").first()
    user, _created = get_user_model().objects.get_or_create(
        username=COORDINATOR_USERNAME, defaults={"email": "benchmark-coordinator@example.org"}
    )
    Membership.objects.update_or_create(user=user, defaults={"role": Role.COORDINATOR, "partner": partner})
    # A coordinator as most are: no second-factor device (one would make every
    # sign-in ask for it).
    StaticDevice.objects.filter(user=user).delete()
    return user, partner


def signed_in(client, user):
    """``client`` signed in as ``user``; its second factor verified only when
    the user must have one (Actiris roles; coordinators unless
    ``TWO_FACTOR_REQUIRED_FOR_ALL``)."""
    from programmes.permissions import second_factor_required

    if second_factor_required(user):
        return signed_in_client(client, user)
    client.force_login(user)
    return client


def _client(user):
    from django.test import Client

    return signed_in(Client(), user)


def _getter(client, url):
    def get():
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
        return response

    get()  # fails now, not in the middle of the rounds
    return get


def _pair(measures, ratios, name, functions, repeat, urls):
    """Interleave ``functions`` (two: measure, reference) and store both."""
    runs = interleaved(functions, repeat)
    names = list(functions)
    for key in names:
        measures[f"{name}_{key}"] = {**spread(runs[key]), "url": urls.get(key, "")}
    ratios[name] = ratio(runs[names[0]], runs[names[1]])


def bench_fast(args, results, staff):
    from duos.models import Mentee, Mentor

    measures, ratios = results["measures"], results["ratios"]
    repeat = args.repeat
    coordinator, partner = benchmark_coordinator()
    as_coordinator, as_staff = _client(coordinator), _client(staff)

    print("fast a: a coordinator's pages against staff's for the same rows, interleaved...", flush=True)
    for name, path in (
        ("dashboard", f"/reporting/?quarter={results['quarter']}"),
        ("duo_list", "/duos/?"),
        ("duo_list_page_200", "/duos/?page=200"),
        ("duo_list_last_meeting", "/duos/?o=-last_meeting"),
        ("mentee_list", "/mentees/?"),
        ("mentor_list", "/mentors/?"),
    ):
        separator = "" if path.endswith("?") else "&"
        urls = {"coordinator": path, "staff": f"{path}{separator}partner={partner.pk}"}
        functions = {
            "coordinator": _getter(as_coordinator, urls["coordinator"]),
            "staff": _getter(as_staff, urls["staff"]),
        }
        _pair(measures, ratios, f"fast_coordinator_{name}", functions, repeat, urls)

    print("fast b: the duo list sorted by last meeting, interleaved with its default order...", flush=True)
    for name, url in (
        ("newest_first", "/duos/?o=-last_meeting"),
        ("oldest_first_page_2000", f"/duos/?o=last_meeting&page={DEEP_PAGE}"),
    ):
        reference = "/duos/?" + url.split("&", 1)[1] if "&" in url else "/duos/"
        urls = {"sorted": url, "default": reference}
        functions = {"sorted": _getter(as_staff, url), "default": _getter(as_staff, reference)}
        _pair(measures, ratios, f"fast_last_meeting_{name}", functions, repeat, urls)

    print("fast c: mentee and mentor lists, first and deep pages, interleaved...", flush=True)
    mentee_page = min(DEEP_PAGE, math.ceil(Mentee.objects.count() / PAGE_SIZE))
    mentor_page = min(DEEP_PAGE, math.ceil(Mentor.objects.count() / PAGE_SIZE))
    for name, urls in (
        ("first_page", {"mentees": "/mentees/", "mentors": "/mentors/"}),
        ("deep_page", {"mentees": f"/mentees/?page={mentee_page}", "mentors": f"/mentors/?page={mentor_page}"}),
    ):
        functions = {key: _getter(as_staff, url) for key, url in urls.items()}
        _pair(measures, ratios, f"fast_people_{name}", functions, repeat, urls)

    print("fast d: the quarterly XLSX report against the JSON report, each in a fresh process...", flush=True)
    bench_report_builds(args, results)


# --- d. the report, built in a child process ----------------------------------------------

CHILD = """
import json, os, resource, sys, time
sys.path.insert(0, os.getcwd())
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mentoring.settings")
import django
django.setup()
from django.core.management import call_command
import io
before = resource.getrusage(resource.RUSAGE_SELF)
started = time.perf_counter()
call_command("report", quarter=sys.argv[1], format=sys.argv[2], output=sys.argv[3], stderr=io.StringIO())
elapsed = (time.perf_counter() - started) * 1000
after = resource.getrusage(resource.RUSAGE_SELF)
cpu = (after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime) * 1000
print(json.dumps({"build_ms": elapsed, "cpu_ms": cpu, "rss_before_mb": before.ru_maxrss / 1024,
                  "peak_rss_mb": after.ru_maxrss / 1024}))
"""


def _build_in_child(quarter, file_format, output):
    completed = subprocess.run(
        [sys.executable, "-c", CHILD, quarter, file_format, output],
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, "LOG_LEVEL": "WARNING"},
    )
    return json.loads(completed.stdout.strip().splitlines()[-1])


def bench_report_builds(args, results):
    """XLSX and JSON builds of the quarter, alternately, each in a new process."""
    quarter = results["quarter"]
    rounds = max(3, args.xlsx_repeat)
    runs = {"xlsx": [], "json": []}
    memory = {"xlsx": [], "json": []}
    cpu = {"xlsx": [], "json": []}
    with tempfile.TemporaryDirectory() as directory:
        outputs = {kind: os.path.join(directory, f"report.{kind}") for kind in runs}
        for index in range(rounds):
            for kind in ("xlsx", "json") if index % 2 == 0 else ("json", "xlsx"):
                child = _build_in_child(quarter, kind, outputs[kind])
                runs[kind].append(child["build_ms"])
                memory[kind].append(child["peak_rss_mb"])
                cpu[kind].append(child["cpu_ms"])
        size = os.path.getsize(outputs["xlsx"])
    measures, ratios = results["measures"], results["ratios"]
    for kind in runs:
        measures[f"fast_report_{kind}"] = {
            **spread(runs[kind]),
            "peak_rss_mb": round(max(memory[kind]), 1),
            "peak_rss_mb_runs": [round(m, 1) for m in memory[kind]],
            # The build process's own CPU time (not PostgreSQL's): less moved by
            # other work on a shared machine than the wall time.
            "cpu_ms": spread(cpu[kind]),
        }
    measures["fast_report_xlsx"]["bytes"] = size
    ratios["fast_report_xlsx_over_json"] = ratio(runs["xlsx"], runs["json"])


# --- the table ------------------------------------------------------------------------------


def fast_rows(results):
    """Table rows (label, median, spread, ratio, target, status) of these measures."""
    measures, ratios = results["measures"], results["ratios"]
    rows = []

    def text_ratio(key):
        value = ratios[key]
        return f"{value['of_medians']:.2f}x (rounds {value['min_of_rounds']:.2f}–{value['max_of_rounds']:.2f})"

    def spread_text(entry):
        return f"{entry['min_ms']:,.0f} / {entry['q1_ms']:,.0f} / {entry['q3_ms']:,.0f} / {entry['max_ms']:,.0f}"

    def row(label, name, *, ratio_key=None, ratio_target=None, ms_target=None):
        entry = measures.get(name)
        if entry is None:
            return
        target = status = ""
        ratio_text = text_ratio(ratio_key) if ratio_key and ratio_key in ratios else ""
        checks = []
        if ratio_target is not None and ratio_key in ratios:
            target = f"<= {ratio_target}x"
            checks.append(ratios[ratio_key]["of_medians"] <= ratio_target)
        if ms_target is not None:
            target = f"{target}, " if target else ""
            target += f"<= {ms_target:,} ms"
            checks.append(entry["median_ms"] <= ms_target)
        if checks:
            status = "met" if all(checks) else "MISSED"
        rows.append((label, f"{entry['median_ms']:,.1f}", spread_text(entry), ratio_text, target, status))

    for name, label in (
        ("dashboard", f"dashboard {results['quarter']}"),
        ("duo_list", "duo list, first page"),
        ("duo_list_page_200", "duo list, page 200"),
        ("duo_list_last_meeting", "duo list by last meeting"),
        ("mentee_list", "mentee list"),
        ("mentor_list", "mentor list"),
    ):
        key = f"fast_coordinator_{name}"
        row(f"a. coordinator: {label}", f"{key}_coordinator", ratio_key=key, ratio_target=TARGET_COORDINATOR_OVER_STAFF)
        row("     reference: staff, same partner's rows", f"{key}_staff")
    for name, label in (
        ("newest_first", "newest first"),
        ("oldest_first_page_2000", f"oldest first, page {DEEP_PAGE}"),
    ):
        key = f"fast_last_meeting_{name}"
        row(f"b. duo list by last meeting, {label}", f"{key}_sorted", ratio_key=key, ms_target=TARGET_PAGE_MS)
        row("     reference: default order, same page", f"{key}_default")
    for name, label in (("first_page", "first page"), ("deep_page", "deep page")):
        key = f"fast_people_{name}"
        pages = measures.get(f"{key}_mentees", {}).get("url", "")
        row(f"c. mentee list, {label} ({pages})", f"{key}_mentees", ratio_key=key, ms_target=TARGET_PAGE_MS)
        row(
            f"c. mentor list, {label} ({measures.get(f'{key}_mentors', {}).get('url', '')})",
            f"{key}_mentors",
            ms_target=TARGET_PAGE_MS,
        )
    xlsx = measures.get("fast_report_xlsx")
    if xlsx is not None:
        row(
            f"d. quarterly XLSX report {results['quarter']}, build in a fresh process",
            "fast_report_xlsx",
            ratio_key="fast_report_xlsx_over_json",
            ms_target=TARGET_XLSX_MS,
        )
        row("     reference: the same report as JSON", "fast_report_json")
        for kind, label in (("xlsx", "XLSX"), ("json", "JSON")):
            entry = measures[f"fast_report_{kind}"]["cpu_ms"]
            rows.append(
                (f"     {label}: CPU time of the building process", f"{entry['median_ms']:,.1f}", spread_text(entry))
                + ("", "", "")
            )
        peak = xlsx["peak_rss_mb"]
        rows.append(
            (
                "d. XLSX report: peak RSS of the building process",
                f"{peak:,.1f} MB",
                " / ".join(f"{m:,.0f}" for m in sorted(xlsx["peak_rss_mb_runs"])) + " MB",
                f"JSON: {measures['fast_report_json']['peak_rss_mb']:,.1f} MB",
                f"<= {TARGET_XLSX_MB} MB",
                "met" if peak <= TARGET_XLSX_MB else "MISSED",
            )
        )
    return rows
