"""The load test (``benchmarks/run.py --load``): the application served as in
production by gunicorn (``gunicorn.conf.py``, 3 workers, ``DEBUG`` off) on
loopback, and 8 client threads that request, for 60 seconds, the duo list
and the dashboard of one quarter as a partner coordinator (signed in through
a session cookie; coordinators sign in without a second factor unless
``TWO_FACTOR_REQUIRED_FOR_ALL``).

First one client alone requests each page (sequentially, after a warm-up):
the single-client median. Then the 8 threads, each alternating the two pages.
Printed: requests per second, p50 and p95 per page and in all, errors
(anything but a 200, or no answer). Target: p95 under load <= 3x the
single-client median of the same page, and no error.

Printed beside the target: the CPU-bound floor of the machine, ``clients /
min(workers, cores)``. Closed-loop clients that never pause keep every core
busy; when the cores are the bottleneck (web workers and PostgreSQL share
them), the throughput is at most ``cores / CPU per request``, so a request
takes on average at least ``clients / cores`` times its own CPU time (Little's
law), which is about its single-client time: no p95 can be below about 4.0x
the single-client median for 8 clients on 2 cores, and the 3x target can
only be met with at least 3 cores for the 3 workers, whatever the pages cost.

Extra rows (``--load-alone-seconds``, default 30, 0 to skip): each page alone
under the same 8 clients, so a page is not measured queued behind the other.
"""

import http.client
import math
import os
import signal
import statistics
import subprocess
import sys
import threading
import time

PORT = int(os.environ.get("BENCHMARK_PORT", "8105"))
WORKERS = 3
THREADS = 8
TARGET_P95_OVER_SINGLE = 3.0
SINGLE_CLIENT_REQUESTS = 15


def _percentile(values, fraction):
    ordered = sorted(values)
    return ordered[max(0, math.ceil(fraction * len(ordered)) - 1)]


def _session_cookie(user):
    """A real session of ``user`` in the database, as a login leaves it."""
    from django.conf import settings
    from django.test import Client

    from benchmarks.fast import signed_in

    client = signed_in(Client(), user)
    return f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"


def _server(root):
    """gunicorn on loopback with the production settings (but plain HTTP)."""
    from django.conf import settings

    env = {
        **os.environ,
        "DEBUG": "False",
        # The benchmark's own key: the session hash was made with it.
        "SECRET_KEY": settings.SECRET_KEY,
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "False",
        "SESSION_COOKIE_SECURE": "False",
        "CSRF_COOKIE_SECURE": "False",
        "GUNICORN_BIND": f"127.0.0.1:{PORT}",
        "GUNICORN_WORKERS": str(WORKERS),
        "GUNICORN_MAX_REQUESTS": "0",  # no worker restart inside the measure
        "CONN_MAX_AGE": os.environ.get("CONN_MAX_AGE", "60"),
        "LOG_LEVEL": "WARNING",
    }
    log = open(os.path.join(root, "benchmarks", "results", "gunicorn.log"), "w")  # noqa: SIM115
    process = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "--config", "gunicorn.conf.py", "mentoring.wsgi"],
        cwd=root,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            connection = http.client.HTTPConnection("127.0.0.1", PORT, timeout=5)
            connection.request("GET", "/healthz")
            connection.getresponse().read()
            return process, log
        except OSError:
            time.sleep(0.5)
    process.terminate()
    raise RuntimeError("gunicorn did not answer /healthz within 60 s (see benchmarks/results/gunicorn.log)")


def _get(connection, path, cookie):
    """``(status or None, milliseconds)`` of one GET on ``connection``."""
    started = time.perf_counter()
    try:
        connection.request("GET", path, headers={"Cookie": cookie, "Host": "127.0.0.1"})
        response = connection.getresponse()
        response.read()
        status = response.status
    except (OSError, http.client.HTTPException):
        connection.close()
        status = None
    return status, (time.perf_counter() - started) * 1000


def _single_client(pages, cookie):
    connection = http.client.HTTPConnection("127.0.0.1", PORT, timeout=30)
    runs, errors = {name: [] for name in pages}, 0
    for index in range(SINGLE_CLIENT_REQUESTS + 2):
        for name in pages if index % 2 == 0 else reversed(list(pages)):
            status, elapsed = _get(connection, pages[name], cookie)
            if status != 200:
                errors += 1
            if index >= 2:  # two warm-up rounds (each worker's first requests)
                runs[name].append(elapsed)
    connection.close()
    return runs, errors


def cpu_bound_floor(threads=THREADS, workers=WORKERS, cores=None):
    """``(floor, cores)``: the ratio p95 / single-client time below which
    closed-loop clients cannot go when the cores are the bottleneck,
    ``threads / min(workers, cores)`` (cores from ``os.cpu_count()``)."""
    cores = cores or os.cpu_count() or 1
    return threads / min(workers, cores), cores


def _page_rows(pages, single, loaded):
    rows = {}
    for name, path in pages.items():
        single_median = statistics.median(single[name])
        p95 = _percentile(loaded[name], 0.95)
        rows[name] = {
            "path": path,
            "single_median_ms": round(single_median, 1),
            "requests": len(loaded[name]),
            "p50_ms": round(_percentile(loaded[name], 0.5), 1),
            "p95_ms": round(p95, 1),
            "max_ms": round(max(loaded[name]), 1),
            "p95_over_single": round(p95 / single_median, 2),
        }
    return rows


def _under_load(pages, cookie, seconds):
    names = list(pages)
    runs = {name: [] for name in names}
    errors = []
    lock = threading.Lock()
    stop_at = time.monotonic() + seconds

    def client(offset):
        connection = http.client.HTTPConnection("127.0.0.1", PORT, timeout=60)
        index = offset
        while time.monotonic() < stop_at:
            name = names[index % len(names)]
            status, elapsed = _get(connection, pages[name], cookie)
            with lock:
                runs[name].append(elapsed)
                if status != 200:
                    errors.append((name, status))
            index += 1
        connection.close()

    threads = [threading.Thread(target=client, args=(offset,)) for offset in range(THREADS)]
    started = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return runs, errors, time.monotonic() - started


def run_load(args, root):
    """Run the load test, print its table, write it to the JSON output (and
    ``--markdown`` as a section of its own, ``benchmarks/LOAD.md`` style)."""
    import datetime
    import json

    from benchmarks.fast import benchmark_coordinator

    seconds = args.load_seconds
    user, partner = benchmark_coordinator()
    cookie = _session_cookie(user)
    pages = {"duo list": "/duos/", "dashboard": f"/reporting/?quarter={args.quarter}"}
    (root / "benchmarks" / "results").mkdir(parents=True, exist_ok=True)
    load_before = [round(x, 2) for x in os.getloadavg()]
    process, log = _server(root)
    try:
        print(f"Single client: {SINGLE_CLIENT_REQUESTS} requests per page, as {user.username}...", flush=True)
        single, single_errors = _single_client(pages, cookie)
        print(f"Load: {THREADS} client threads for {seconds} s against {WORKERS} gunicorn workers...", flush=True)
        loaded, errors, elapsed = _under_load(pages, cookie, seconds)
        alone = {}
        for name in pages if args.load_alone_seconds > 0 else ():
            print(f"Extra: {name} alone, {THREADS} client threads for {args.load_alone_seconds} s...", flush=True)
            alone[name] = _under_load({name: pages[name]}, cookie, args.load_alone_seconds)
    finally:
        process.send_signal(signal.SIGTERM)
        process.wait(timeout=60)
        log.close()
    total = sum(len(r) for r in loaded.values())
    floor, cores = cpu_bound_floor()
    result = {
        "date": datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "partner": partner.slug,
        "workers": WORKERS,
        "threads": THREADS,
        "seconds": round(elapsed, 1),
        "requests": total,
        "requests_per_second": round(total / elapsed, 1),
        "errors": len(errors),
        "error_kinds": sorted({f"{name}: {status}" for name, status in errors})[:10],
        "single_client_errors": single_errors,
        "load_average_before": load_before,
        "load_average_after": [round(x, 2) for x in os.getloadavg()],
        "cores": cores,
        "cpu_bound_floor": round(floor, 2),
        "pages": _page_rows(pages, single, loaded),
        "alone": {},
    }
    every = [ms for runs in loaded.values() for ms in runs]
    for name, (runs, alone_errors, alone_elapsed) in alone.items():
        row = _page_rows({name: pages[name]}, single, runs)[name]
        row.update(
            seconds=round(alone_elapsed, 1),
            requests_per_second=round(len(runs[name]) / alone_elapsed, 1),
            errors=len(alone_errors),
        )
        result["alone"][name] = row
    result["all"] = {"p50_ms": round(_percentile(every, 0.5), 1), "p95_ms": round(_percentile(every, 0.95), 1)}
    lines = load_markdown(result)
    print("\n".join(lines))
    output = root / "benchmarks" / "results" / "load.json"
    output.write_text(json.dumps(result, indent=2))
    print(f"\nResults written to {output.relative_to(root)}")
    return result


def load_markdown(result):
    """The load test's table as Markdown lines."""
    lines = [
        f"Load test on {result['date']}: gunicorn with {result['workers']} workers on loopback, "
        f"{result['threads']} client threads for {result['seconds']} s as a coordinator ({result['partner']}); "
        f"load average before / after {result['load_average_before']} / {result['load_average_after']}.",
        "",
        f"**{result['requests_per_second']} requests/s** ({result['requests']:,} requests), "
        f"p50 {result['all']['p50_ms']:,.0f} ms, p95 {result['all']['p95_ms']:,.0f} ms, "
        f"**{result['errors']} errors**" + (f" ({', '.join(result['error_kinds'])})" if result["errors"] else "") + ".",
        "",
        "| page | single client, median ms | under load: requests | p50 ms | p95 ms | max ms "
        "| p95 / single | target | CPU-bound floor | status |",
        "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    floor = result.get("cpu_bound_floor")
    floor_cell = (
        f"{floor:.1f}x ({result['threads']} clients / min({result['workers']} workers, {result['cores']} cores))"
        if floor is not None
        else "?"
    )
    rows = [(name, page, result["errors"]) for name, page in result["pages"].items()]
    rows += [(f"extra: {name} alone", page, page["errors"]) for name, page in result.get("alone", {}).items()]
    for label, page, errors in rows:
        met = page["p95_over_single"] <= TARGET_P95_OVER_SINGLE and errors == 0
        requests = f"{page['requests']:,}"
        if "requests_per_second" in page:
            requests += f" ({page['requests_per_second']} /s in {page['seconds']} s, {errors} errors)"
        lines.append(
            f"| {label} (`{page['path']}`) | {page['single_median_ms']:,.1f} | {requests} "
            f"| {page['p50_ms']:,.1f} | {page['p95_ms']:,.1f} | {page['max_ms']:,.1f} "
            f"| {page['p95_over_single']:.2f}x | <= {TARGET_P95_OVER_SINGLE:.0f}x, no error | {floor_cell} "
            f"| {'met' if met else 'MISSED'} |"
        )
    if floor is not None and floor > TARGET_P95_OVER_SINGLE:
        lines += [
            "",
            f"CPU-bound floor: {result['threads']} closed-loop clients share {min(result['workers'], result['cores'])} "
            f"cores, so a request takes on average at least {floor:.1f} times its own CPU time (Little's law: "
            f"clients / throughput, throughput at most cores / CPU per request); p95 / single cannot go below "
            f"about {floor:.1f}x here whatever the pages cost; the {TARGET_P95_OVER_SINGLE:.0f}x target needs at "
            f"least {math.ceil(result['threads'] / TARGET_P95_OVER_SINGLE)} cores for the web workers and "
            "PostgreSQL. Less CPU per request raises the requests per second and lowers every latency, not this "
            "ratio's floor.",
        ]
    return lines
