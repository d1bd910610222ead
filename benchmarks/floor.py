"""The floor: the figures of one period computed by one hand-written SQL query
per figure family, on PostgreSQL. It is what the database alone costs; the
reporting selectors are measured against it, and their numbers are checked
against it (both must agree on every numerator and denominator).

Families:

* ``outcomes``: duos started, closed, active at the end; the outcome rates
  (employment, incl. self-employment, positive, stable job, CDI share) and
  the completion rate. One pass over the duos alive in the period, LEFT JOIN
  the primary outcome, ``COUNT(*) FILTER (...)`` per figure, ``GROUPING SETS``
  for the partner rows and the total in the same query.
* ``cadence``: duo-months of the period's whole months that have ended, by
  month arithmetic on each duo's dates, and those that reached the
  programme's minimum, from the held meetings per (duo, month) table
  (``reporting_meetingmonth``, the same table the application reads).
* ``funding``: per (convention, partner), duos started under the convention
  up to the period's end and those started in the period, with the
  convention's amount, target, period and the partners' shares, for one
  funder; target attainment and budgets per duo are then a few sums in Python
  over a handful of rows.
"""

import datetime
from collections import defaultdict
from decimal import Decimal

from django.db import connection

OUTCOMES_SQL = """
SELECT d.partner_id,
       count(*) FILTER (WHERE d.start_date BETWEEN %(from)s AND %(to)s) AS duos_started,
       count(*) FILTER (WHERE closed) AS duos_closed,
       count(*) FILTER (WHERE d.start_date <= %(to)s AND (d.end_date IS NULL OR d.end_date > %(to)s))
           AS duos_active_at_end,
       count(*) FILTER (WHERE closed AND o.type = 'job') AS employment,
       count(*) FILTER (WHERE closed AND o.type IN ('job', 'self_employment')) AS employment_incl_self,
       count(*) FILTER (WHERE closed AND o.type IN ('job', 'self_employment', 'fpi', 'training', 'internship',
                                                    'studies')) AS positive,
       count(*) FILTER (WHERE closed AND o.type = 'job'
                        AND (o.contract_type = 'cdi' OR (o.contract_type = 'cdd' AND o.contract_months >= 3)))
           AS stable_job,
       count(*) FILTER (WHERE closed AND o.type = 'job' AND o.contract_type = 'cdi') AS cdi,
       count(*) FILTER (WHERE closed AND d.closure_reason = 'completed') AS completed,
       count(*) FILTER (WHERE closed AND o.id IS NULL) AS without_outcome,
       count(*) FILTER (WHERE closed AND o.type = 'unknown') AS lost_contact
FROM (
    SELECT d.*, (d.status = 'closed' AND d.end_date BETWEEN %(from)s AND %(to)s) AS closed
    FROM duos_duo d
    WHERE d.status <> 'cancelled' AND d.start_date <= %(to)s AND (d.end_date IS NULL OR d.end_date >= %(from)s)
) d
LEFT JOIN duos_outcome o ON o.duo_id = d.id AND o.is_primary
GROUP BY GROUPING SETS ((d.partner_id), ())
"""

# Duo-months by month arithmetic on each duo (first whole month: the start's
# month, or the next unless it starts on the 1st; last: the month before the
# end's); reached months from the held meetings per (duo, month) table.
CADENCE_SQL = """
WITH duo AS (
    SELECT d.id, d.partner_id, d.start_date, d.end_date, p.min_meetings_per_month AS minimum,
           greatest(%(first)s, date_part('year', d.start_date)::int * 12 + date_part('month', d.start_date)::int
                               + CASE WHEN date_part('day', d.start_date) = 1 THEN 0 ELSE 1 END) AS first_month,
           least(%(last)s, coalesce(date_part('year', d.end_date)::int * 12 + date_part('month', d.end_date)::int - 1,
                                    %(last)s)) AS last_month
    FROM duos_duo d JOIN programmes_programme p ON p.id = d.programme_id
    WHERE d.status <> 'cancelled' AND d.start_date <= %(to)s AND (d.end_date IS NULL OR d.end_date >= %(from)s)
), months AS (
    SELECT partner_id, sum(greatest(last_month - first_month + 1, 0)) AS duo_months FROM duo GROUP BY partner_id
), reached AS (
    SELECT duo.partner_id, count(*) AS reached
    FROM reporting_meetingmonth mm JOIN duo ON duo.id = mm.duo_id
    WHERE mm.month >= %(window_from)s AND mm.month_end <= %(window_to)s
      AND duo.start_date <= mm.month AND (duo.end_date IS NULL OR duo.end_date > mm.month_end)
      AND mm.held_meetings >= duo.minimum
    GROUP BY duo.partner_id
)
SELECT m.partner_id, coalesce(sum(r.reached), 0), sum(m.duo_months)
FROM months m LEFT JOIN reached r ON r.partner_id = m.partner_id
GROUP BY GROUPING SETS ((m.partner_id), ())
"""

FUNDING_SQL = """
WITH c AS (
    SELECT id, amount, target_duos_per_year, period_start, period_end
    FROM programmes_fundingconvention f
    WHERE period_start <= %(to)s AND period_end >= %(from)s AND funder = %(funder)s
)
SELECT c.id, c.amount, c.target_duos_per_year, c.period_start, c.period_end,
       'duos', n.partner_id, n.to_end, n.in_period, NULL::numeric, NULL::integer
FROM c JOIN (
    SELECT d.convention_id, d.partner_id, count(*) AS to_end,
           count(*) FILTER (WHERE d.start_date BETWEEN %(from)s AND %(to)s) AS in_period
    FROM duos_duo d
    WHERE d.convention_id IN (SELECT id FROM c) AND d.status <> 'cancelled' AND d.start_date <= %(to)s
    GROUP BY 1, 2
) n ON n.convention_id = c.id
UNION ALL
SELECT c.id, c.amount, c.target_duos_per_year, c.period_start, c.period_end,
       'share', s.partner_id, 0, 0, s.amount, s.target_duos_per_year
FROM c JOIN programmes_conventionshare s ON s.convention_id = c.id
UNION ALL
SELECT c.id, c.amount, c.target_duos_per_year, c.period_start, c.period_end, 'convention', NULL, 0, 0, NULL, NULL
FROM c
"""

OUTCOME_COLUMNS = (
    "duos_started",
    "duos_closed",
    "duos_active_at_end",
    "employment",
    "employment_incl_self",
    "positive",
    "stable_job",
    "cdi",
    "completed",
    "without_outcome",
    "lost_contact",
)
NOT_SPLIT = "not-split"


def cadence_window(date_from, date_to, today):
    """First and last day of the whole months of the period that have ended before ``today``."""
    first = date_from if date_from.day == 1 else (date_from.replace(day=28) + datetime.timedelta(days=4)).replace(day=1)
    end = min(date_to, today.replace(day=1) - datetime.timedelta(days=1))
    next_day = end + datetime.timedelta(days=1)
    last = end if next_day.day == 1 else end.replace(day=1) - datetime.timedelta(days=1)
    return (first, last) if first <= last else None


def outcomes_family(date_from, date_to):
    """``{partner_id or None (total): {column: count}}``."""
    with connection.cursor() as cursor:
        cursor.execute(OUTCOMES_SQL, {"from": date_from, "to": date_to})
        return {row[0]: dict(zip(OUTCOME_COLUMNS, row[1:], strict=True)) for row in cursor.fetchall()}


def cadence_family(date_from, date_to, today=None):
    """``{partner_id or None: (reached, duo_months)}``."""
    window = cadence_window(date_from, date_to, today or datetime.date.today())
    if window is None:
        return {}
    first, last = window
    params = {
        "from": date_from,
        "to": date_to,
        "window_from": first,
        "window_to": last,
        "first": first.year * 12 + first.month,
        "last": last.year * 12 + last.month,
    }
    with connection.cursor() as cursor:
        cursor.execute(CADENCE_SQL, params)
        return {row[0]: (int(row[1]), int(row[2])) for row in cursor.fetchall()}


def _year_fraction(start, end):
    total = Decimal(0)
    for year in range(start.year, end.year + 1):
        first, last = max(start, datetime.date(year, 1, 1)), min(end, datetime.date(year, 12, 31))
        if first <= last:
            days = 366 if (year % 4 == 0 and year % 100 != 0) or year % 400 == 0 else 365
            total += Decimal((last - first).days + 1) / Decimal(days)
    return total


def funding_family(date_from, date_to, funder="Actiris"):
    """Target attainment and actual budget per duo, per partner, for the
    not-split row and in total, from one query: ``{partner_id, "not-split"
    or None: {"started_in_period", "target", "amount", "duos_to_end"}}``.
    A share with an amount (a target) is its partner's; what the shares leave
    goes to the one partner left, or to the not-split row."""
    with connection.cursor() as cursor:
        cursor.execute(FUNDING_SQL, {"from": date_from, "to": date_to, "funder": funder})
        rows = cursor.fetchall()
    conventions, counts, shares = {}, defaultdict(dict), defaultdict(dict)
    for cid, amount, target, start, end, kind, partner_id, to_end, in_period, s_amount, s_target in rows:
        conventions[cid] = (amount, target, start, end)
        if kind == "duos":
            counts[cid][partner_id] = (to_end, in_period)
        elif kind == "share":
            shares[cid][partner_id] = (s_amount, s_target)
    result = defaultdict(lambda: defaultdict(Decimal))
    for cid, (amount, target, start, end) in conventions.items():
        overlap = _year_fraction(max(start, date_from), min(end, date_to))
        partners = set(counts[cid]) | set(shares[cid])
        for index, whole in ((0, amount), (1, target)):
            given = {p: share[index] for p, share in shares[cid].items() if share[index] is not None}
            holdings = [(p, quantity, {p}) for p, quantity in given.items()]
            left = Decimal(whole) - sum((Decimal(q) for q in given.values()), Decimal(0))
            others = partners - set(given)
            if left > 0:
                holdings.append((next(iter(others)) if len(others) == 1 else NOT_SPLIT, left, others))
            for row, quantity, whose in holdings:
                to_end = sum(counts[cid].get(p, (0, 0))[0] for p in whose)
                in_period = sum(counts[cid].get(p, (0, 0))[1] for p in whose)
                for key in (row, None):
                    bucket = result[key]
                    if index == 0:
                        bucket["amount"] += Decimal(quantity)
                        bucket["duos_to_end"] += to_end
                    else:
                        bucket["target"] += Decimal(quantity) * overlap
                        bucket["started_in_period"] += in_period
    return result


def figures(date_from, date_to):
    """All three families (three queries)."""
    return {
        "outcomes": outcomes_family(date_from, date_to),
        "cadence": cadence_family(date_from, date_to),
        "funding": funding_family(date_from, date_to),
    }


def as_figure_pairs(floor):
    """The floor as ``{partner_id, "not-split" or None: {figure key: (numerator,
    denominator)}}``, the shape ``compare`` reads; denominators of counts are ``None``."""
    pairs = defaultdict(dict)
    for partner_id, row in floor["outcomes"].items():
        closed = row["duos_closed"]
        pairs[partner_id].update(
            {
                "duos_started": (row["duos_started"], None),
                "duos_closed": (closed, None),
                "duos_active_at_end": (row["duos_active_at_end"], None),
                "employment_rate": (row["employment"], closed),
                "employment_rate_incl_self_employment": (row["employment_incl_self"], closed),
                "positive_outcome_rate": (row["positive"], closed),
                "stable_job_rate": (row["stable_job"], closed),
                "cdi_share": (row["cdi"], row["employment"]),
                "completion_rate": (row["completed"], closed),
                "closed_without_outcome": (row["without_outcome"], None),
                "closed_lost_contact": (row["lost_contact"], None),
            }
        )
    for partner_id, (reached, duo_months) in floor["cadence"].items():
        pairs[partner_id]["meeting_cadence_compliance"] = (reached, duo_months)
    for partner_id, row in floor["funding"].items():
        pairs[partner_id]["target_attainment"] = (int(row["started_in_period"]), round(row["target"], 2))
        pairs[partner_id]["budget_per_duo_actual"] = (round(row["amount"], 2), int(row["duos_to_end"]))
    return pairs
