"""The speed rows of the figures' benchmark, each measured side by side with its
reference in the same run: round by round, the measure and its reference run
one after the other (in alternating order), so that the noise of a shared
machine hits both alike. Reported: medians, the spread (min, quartiles, max),
the ratio of the medians and the median of the per-round ratios.

1. the figures of one quarter, all partners: the selectors against the
   hand-written SQL floor (``floor.py``), target <= 1.5x;
2. the dashboard page for one quarter, one year and from 2013 to today,
   target: year <= 1.5x the quarter, 2013-today <= 3x the quarter;
3. the figures of ten years, selectors against the floor, and the cadence
   queries for one quarter and for ten years: the same SQL but the dates
   (numbers taken out), and EXPLAIN plans with the same number of SubPlan /
   InitPlan nodes (none): no expression or subquery per month.
"""

import datetime
import json
import re
import statistics
import time

TARGET_FIGURES_OVER_FLOOR = 1.5
TARGET_YEAR_OVER_QUARTER = 1.5
TARGET_LONG_OVER_QUARTER = 3.0


def signed_in_client(client, user):
    """``client`` signed in as ``user``, its second factor verified (staff
    must have one; the benchmark measures pages, not the sign-in)."""
    from tests.two_factor import verify_session

    client.force_login(user)
    verify_session(client, user)
    return client


def interleaved(functions, repeat, warmup=1):
    """``{name: [milliseconds]}``: ``repeat`` rounds, each running every
    function once, in alternating order (after ``warmup`` untimed rounds)."""
    names = list(functions)
    for _ in range(warmup):
        for name in names:
            functions[name]()
    runs = {name: [] for name in names}
    for index in range(repeat):
        for name in names if index % 2 == 0 else reversed(names):
            started = time.perf_counter()
            functions[name]()
            runs[name].append((time.perf_counter() - started) * 1000)
    return runs


def spread(runs):
    ordered = sorted(runs)
    quartiles = statistics.quantiles(ordered, n=4) if len(ordered) > 1 else [ordered[0]] * 3
    return {
        "median_ms": round(statistics.median(ordered), 1),
        "min_ms": round(ordered[0], 1),
        "q1_ms": round(quartiles[0], 1),
        "q3_ms": round(quartiles[2], 1),
        "max_ms": round(ordered[-1], 1),
        "runs_ms": [round(r, 1) for r in runs],
    }


def ratio(runs, reference):
    """Ratio of the medians, and the median (and range) of the per-round ratios."""
    rounds = [a / b for a, b in zip(runs, reference, strict=True) if b]
    return {
        "of_medians": round(statistics.median(runs) / statistics.median(reference), 2),
        "median_of_rounds": round(statistics.median(rounds), 2),
        "min_of_rounds": round(min(rounds), 2),
        "max_of_rounds": round(max(rounds), 2),
    }


def plan_shape(sqls):
    """``(SubPlan/InitPlan nodes, plan nodes)`` of the EXPLAIN plans of ``sqls``."""
    from django.db import connection

    subplans = nodes = 0
    with connection.cursor() as cursor:
        for sql, params in sqls:
            cursor.execute("EXPLAIN (FORMAT JSON) " + sql, params)
            plan = cursor.fetchone()[0]
            plan = json.loads(plan) if isinstance(plan, str) else plan
            stack = [plan[0]["Plan"]]
            while stack:
                node = stack.pop()
                nodes += 1
                if node.get("Subplan Name"):
                    subplans += 1
                stack.extend(node.get("Plans", []))
    return subplans, nodes


def normalised(sqls):
    """The SQL texts with every number (dates included) taken out."""
    return [re.sub(r"\d+", "0", sql) for sql, _params in sqls]


def cadence_sqls(user, period):
    """The SQL (with parameters) of the cadence queries of ``period``."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from duos.models import Duo
    from reporting.figures import total_figure

    with CaptureQueriesContext(connection) as captured:
        total_figure("meeting_cadence_compliance", Duo.objects.visible_to(user), period=period)
    return [(query["sql"], None) for query in captured.captured_queries]


def bench_speed(args, results, user, quarter, *, figure_pairs, compare):
    from django.test import Client

    from benchmarks import floor
    from reporting.figures import Period
    from reporting.selectors import ReportScope, figure_set_for_user

    measures, ratios, checks = results["measures"], results["ratios"], results["checks"]
    repeat = args.repeat

    def figures_pair(period, suffix):
        scope = ReportScope(period=period)
        # The floor computes the figures of three families; the registry has more
        # (follow-ups, time to match). The ratio compares the same figures; every
        # figure is measured in the same rounds, as its own row.
        floor_keys = sorted(
            {
                key
                for row in floor.as_figure_pairs(floor.figures(period.date_from, period.date_to)).values()
                for key in row
            }
        )
        runs = interleaved(
            {
                "selectors": lambda: figure_set_for_user(user, scope, keys=floor_keys),
                "every figure": lambda: figure_set_for_user(user, scope),
                "floor": lambda: floor.figures(period.date_from, period.date_to),
            },
            repeat,
        )
        measures[f"speed_figures_selectors{suffix}"] = spread(runs["selectors"])
        measures[f"speed_figures_every{suffix}"] = spread(runs["every figure"])
        measures[f"speed_figures_floor{suffix}"] = spread(runs["floor"])
        ratios[f"speed_figures_over_floor{suffix}"] = ratio(runs["selectors"], runs["floor"])
        differences = compare(
            figure_pairs(figure_set_for_user(user, scope)),
            floor.as_figure_pairs(floor.figures(period.date_from, period.date_to)),
        )
        checks[f"speed_selectors_equal_floor{suffix}"] = not differences
        checks[f"speed_differences{suffix}"] = differences[:20]

    print("speed 1: figures of a quarter, selectors and floor interleaved...", flush=True)
    figures_pair(quarter, "")

    print("speed 2: dashboards of a quarter, a year and 2013 to today, interleaved...", flush=True)
    client = Client()
    signed_in_client(client, user)
    today = datetime.date.today()
    year = quarter.date_from.year
    pages = {
        "quarter": f"/reporting/?quarter={quarter.quarter_label}",
        "year": f"/reporting/?date_from={year}-01-01&date_to={year}-12-31",
        "long": f"/reporting/?date_from=2013-01-01&date_to={today.isoformat()}",
    }
    for url in pages.values():
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
        assert b"Some filters are not valid" not in response.content, url
    runs = interleaved({name: (lambda url=url: client.get(url)) for name, url in pages.items()}, repeat)
    for name, url in pages.items():
        measures[f"speed_dashboard_{name}"] = {**spread(runs[name]), "url": url}
    ratios["speed_dashboard_year_over_quarter"] = ratio(runs["year"], runs["quarter"])
    ratios["speed_dashboard_long_over_quarter"] = ratio(runs["long"], runs["quarter"])

    print("speed 3: figures of ten years, and the cadence plans...", flush=True)
    ten_years = Period(datetime.date(year - 9, 1, 1), datetime.date(year, 12, 31))
    figures_pair(ten_years, "_ten_years")
    quarter_sqls, ten_years_sqls = cadence_sqls(user, quarter), cadence_sqls(user, ten_years)
    quarter_shape, ten_years_shape = plan_shape(quarter_sqls), plan_shape(ten_years_sqls)
    checks["cadence_plan_quarter"] = {"subplans": quarter_shape[0], "nodes": quarter_shape[1]}
    checks["cadence_plan_ten_years"] = {"subplans": ten_years_shape[0], "nodes": ten_years_shape[1]}
    # The same SQL but the dates (no expression per month), and no more SubPlans
    # for 120 months than for 3 (the planner may still pick other joins).
    checks["cadence_sql_same_but_dates"] = normalised(quarter_sqls) == normalised(ten_years_sqls)
    checks["cadence_plan_flat"] = checks["cadence_sql_same_but_dates"] and quarter_shape[0] == ten_years_shape[0]


def speed_rows(results):
    """Table rows (label, median, spread, ratio, target, status) of the speed section."""
    measures, ratios, checks = results["measures"], results["ratios"], results["checks"]
    rows = []

    def row(label, name, ratio_key=None, target=None):
        entry = measures.get(name)
        if entry is None:
            return
        text_ratio = status = target_text = ""
        if ratio_key and ratio_key in ratios:
            value = ratios[ratio_key]
            text_ratio = (
                f"{value['of_medians']:.2f}x (rounds {value['min_of_rounds']:.2f}–{value['max_of_rounds']:.2f})"
            )
            if target is not None:
                target_text = f"<= {target}x"
                status = "met" if value["of_medians"] <= target else f"MISSED ({value['of_medians'] / target:.1f}x)"
        spread_text = f"{entry['min_ms']:,.0f} / {entry['q1_ms']:,.0f} / {entry['q3_ms']:,.0f} / {entry['max_ms']:,.0f}"
        rows.append((label, f"{entry['median_ms']:,.1f}", spread_text, text_ratio, target_text, status))

    quarter = results["quarter"]
    row(
        f"figures {quarter}, all partners (selectors, the floor's figures)",
        "speed_figures_selectors",
        "speed_figures_over_floor",
        TARGET_FIGURES_OVER_FLOOR,
    )
    row(f"  reference: hand-written SQL floor, {quarter}", "speed_figures_floor")
    row(f"  every figure of the registry, {quarter} (follow-ups, time to match too)", "speed_figures_every")
    row(f"dashboard, one quarter ({quarter})", "speed_dashboard_quarter")
    row("dashboard, one year", "speed_dashboard_year", "speed_dashboard_year_over_quarter", TARGET_YEAR_OVER_QUARTER)
    row(
        "dashboard, 2013 to today",
        "speed_dashboard_long",
        "speed_dashboard_long_over_quarter",
        TARGET_LONG_OVER_QUARTER,
    )
    row(
        "figures of ten years, all partners (selectors, the floor's figures)",
        "speed_figures_selectors_ten_years",
        "speed_figures_over_floor_ten_years",
    )
    row("  reference: hand-written SQL floor, ten years", "speed_figures_floor_ten_years")
    row("  every figure of the registry, ten years", "speed_figures_every_ten_years")
    if "cadence_plan_flat" in checks:
        q, t = checks["cadence_plan_quarter"], checks["cadence_plan_ten_years"]
        rows.append(
            (
                "cadence plan, ten years vs one quarter (EXPLAIN)",
                "",
                f"same SQL but dates: {checks['cadence_sql_same_but_dates']}; SubPlans {t['subplans']} vs "
                f"{q['subplans']}; plan nodes {t['nodes']} vs {q['nodes']}",
                "",
                "no subquery per month",
                "met" if checks["cadence_plan_flat"] else "MISSED",
            )
        )
    return rows
