"""The benchmark's tables: the console table and ``RESULTS.md``."""

from benchmarks.fast import fast_rows
from benchmarks.speed import speed_rows

DEEP_PAGE = 2000
TARGET_RATIO_FLOOR = 1.5
TARGET_XLSX_MB = 300


def verdict(value, target, unit="ms"):
    if value is None:
        return "not measured"
    if value <= target:
        return f"met ({value / target:.0%} of target)"
    return f"MISSED by {value - target:,.0f} {unit} ({value / target:.1f}x target)"


def table_rows(results):
    measures, ratios = results["measures"], results["ratios"]
    rows = []

    def add(name, label, target_ms=None, target_text=""):
        entry = measures.get(name)
        if entry is None:
            return
        median = entry.get("median_ms")
        status = verdict(median, target_ms) if target_ms is not None else ""
        if median is None:
            status = entry.get("note", "not measured")
        rows.append(
            (
                label,
                "" if median is None else f"{median:,.1f}",
                "" if entry.get("p95_ms") is None else f"{entry['p95_ms']:,.1f}",
                str(entry.get("queries", "")),
                target_text,
                status,
            )
        )

    quarter = results["quarter"]
    add("figures_selectors", f"figures {quarter}, all partners (selectors)", 300, "< 300 ms")
    add("figures_floor", "figures floor: 3 hand-written SQL queries")
    add("figures_floor_outcomes", "  floor family: counts and outcome rates")
    add("figures_floor_cadence", "  floor family: meeting cadence")
    add("figures_floor_funding", "  floor family: funding")
    if "selectors_over_floor" in ratios:
        ratio = ratios["selectors_over_floor"]
        met = "met" if ratio <= TARGET_RATIO_FLOOR else f"MISSED ({ratio / TARGET_RATIO_FLOOR:.1f}x the allowed ratio)"
        rows.append(("ratio selectors / floor", f"{ratio:.2f}x", "", "", "<= 1.5x", met))
    for extra in results.get("extra_quarters", []):
        add(f"figures_selectors_{extra}", f"figures {extra}, all partners (selectors)", 300, "< 300 ms")
        add(f"figures_floor_{extra}", f"figures {extra} floor: 3 hand-written SQL queries")
        key = f"selectors_over_floor_{extra}"
        if key in ratios:
            met = "met" if ratios[key] <= TARGET_RATIO_FLOOR else f"MISSED ({ratios[key] / TARGET_RATIO_FLOOR:.1f}x)"
            rows.append((f"ratio selectors / floor, {extra}", f"{ratios[key]:.2f}x", "", "", "<= 1.5x", met))
    add("naive_python", "naive: quarter's duos + outcomes counted in Python")
    if "naive_over_selectors" in ratios:
        rows.append(("ratio naive / selectors", f"{ratios['naive_over_selectors']:.2f}x", "", "", "", ""))
    if "naive_over_floor_outcomes" in ratios:
        rows.append(
            ("ratio naive / floor (same family)", f"{ratios['naive_over_floor_outcomes']:.1f}x", "", "", "", "")
        )
    add("dashboard", "dashboard page /reporting/", 500, "< 500 ms")
    add("duo_list_first_page", "duo list, closed, first page", 150, "< 150 ms")
    add("duo_list_deep_page", f"duo list, closed, page {DEEP_PAGE}", 150, "< 150 ms")
    add("duo_list_behind_cadence", "duo list, active and behind cadence (extra)")
    add("duo_detail", "duo detail, 30 meetings", 100, "< 100 ms")
    xlsx = measures.get("xlsx_build")
    if xlsx:
        add("xlsx_build", f"quarterly XLSX report {quarter} (in-process)", 20_000, "< 20 s")
        peak = xlsx.get("peak_rss_mb")
        if peak is not None:
            rows.append(
                (
                    "  XLSX: peak RSS of a separate process",
                    f"{peak:,.1f} MB",
                    "",
                    "",
                    "< 300 MB",
                    verdict(peak, TARGET_XLSX_MB, "MB"),
                )
            )
            rows.append(
                ("  XLSX: Python heap peak (tracemalloc)", f"{xlsx['tracemalloc_peak_mb']:,.1f} MB", "", "", "", "")
            )
            rows.append(("  XLSX: separate process wall time", f"{xlsx['subprocess_wall_ms']:,.0f}", "", "", "", ""))
    add("generate", "generate_scale_data --reset, 100,000 duos (one run)", 300_000, "< 5 min")
    return rows


HEADERS = ("measure", "median ms", "p95 ms", "queries", "target", "status")
SPEED_HEADERS = (
    "measure",
    "median ms",
    "min / q1 / q3 / max ms",
    "ratio (of medians; per-round range)",
    "target",
    "status",
)
HEADERS_JIT = (*HEADERS, "median ms, jit on", "p95 ms, jit on", "status, jit on")


def merge_rows(rows, jit_rows):
    """Rows of the default configuration (JIT off) with the jit-on columns beside them."""
    by_label = {row[0]: row for row in jit_rows}
    merged = []
    for row in rows:
        other = by_label.get(row[0])
        merged.append((*row, *((other[1], other[2], other[5]) if other else ("", "", ""))))
    return merged


def print_table(headers, rows):
    widths = [max(len(str(row[i])) for row in [headers, *rows]) for i in range(len(headers))]
    for row in [headers, tuple("-" * w for w in widths), *rows]:
        print("  ".join(str(cell).ljust(width) for cell, width in zip(row, widths, strict=True)))


def markdown(results, headers, rows):
    machine, data = results["machine"], results["data"]
    lines = [
        "# Benchmark results",
        "",
        f"Written by `python benchmarks/run.py {results['arguments']}`"
        f" on {results['date']} (commit {results['commit']}), {results['repeat']} timed runs per measure"
        " after one warm-up; median and p95 in milliseconds.",
        "",
        f"Machine: {machine['nproc']} CPUs ({machine['cpu']}), {machine['ram_gb']} GB RAM, "
        f"PostgreSQL {machine['postgresql']} (shared_buffers {machine['shared_buffers']}, "
        f"work_mem {machine['work_mem']}, jit {machine['jit']}), "
        f"Python {machine['python']}, Django {machine['django']}.",
        "",
        f"Data: {data['duos']:,} duos, {data['meetings']:,} meetings, {data['outcomes']:,} outcomes, "
        f"{data['mentees']:,} mentees, {data['partners']} partners; quarter {results['quarter']}"
        + (
            f": {data['quarter_closed']:,} duos closed in it ({data['quarter_closed_partner_01']:,} at "
            f"scale-partner-01), {data['quarter_started']:,} started."
            if "quarter_closed" in data
            else "."
        ),
        "",
        "Load average (1, 5, 15 min) before / after: "
        f"{results['load_average_before']} / {results['load_average_after']} "
        "(the machine is shared: other work inflates the timings).",
        "",
    ]
    if rows:  # none when only the search rows were measured (--skip)
        lines += ["| " + " | ".join(headers) + " |", "| " + " | ".join("---" for _ in headers) + " |"]
    lines += ["| " + " | ".join(str(cell).replace("|", "/") for cell in row) + " |" for row in rows]
    speed = speed_rows(results)
    if speed:
        lines += [
            "",
            "## Speed rows of the figures issue (each measure interleaved with its reference, round by round)",
            "",
            "| " + " | ".join(SPEED_HEADERS) + " |",
            "| " + " | ".join("---" for _ in SPEED_HEADERS) + " |",
        ]
        lines += ["| " + " | ".join(str(cell).replace("|", "/") for cell in row) + " |" for row in speed]
        checks = results["checks"]
        lines += [
            "",
            "Selectors and floor agree on every numerator and denominator in the interleaved runs: "
            f"quarter {checks.get('speed_selectors_equal_floor')}, ten years "
            f"{checks.get('speed_selectors_equal_floor_ten_years')}.",
        ]
    from benchmarks.search import SEARCH_HEADERS, search_rows

    searched = search_rows(results)
    if searched:
        lines += [
            "",
            "## Search (each searched list interleaved with the same list unsearched, round by round)",
            "",
            "| " + " | ".join(SEARCH_HEADERS) + " |",
            "| " + " | ".join("---" for _ in SEARCH_HEADERS) + " |",
        ]
        lines += ["| " + " | ".join(str(cell).replace("|", "/") for cell in row) + " |" for row in searched]
    fast = fast_rows(results)
    if fast:
        lines += [
            "",
            "## Fast under load: speed rows (each measure interleaved with its reference, round by round)",
            "",
            "| " + " | ".join(SPEED_HEADERS) + " |",
            "| " + " | ".join("---" for _ in SPEED_HEADERS) + " |",
        ]
        lines += ["| " + " | ".join(str(cell).replace("|", "/") for cell in row) + " |" for row in fast]
    checks = results["checks"]
    if not rows:
        return "\n".join([*lines, ""])
    lines += [
        "",
        "Selectors and floor agree on every numerator and denominator: "
        + ", ".join(
            f"{key.removeprefix('selectors_equal_floor').lstrip('_') or results['quarter']} {value}"
            for key, value in checks.items()
            if key.startswith("selectors_equal_floor")
        )
        + ".",
        f"Naive baseline agrees with the floor: {checks.get('naive_equals_floor')}.",
        "",
    ]
    return "\n".join(lines)
