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
* ``cadence``: duo-months of the period's whole months and those that reached
  the programme's minimum of held meetings; held meetings are counted by a
  LATERAL subquery only for the duo-months that exist, over the duos that
  can have one (an index-friendly prefilter on start and end dates).
* ``funding``: per (convention, partner), duos started under the convention
  and those started in the period, with the convention's amount, target,
  period and the partner's share; target attainment and budgets per duo are
  then a few sums in Python over a handful of rows.
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
       count(*) FILTER (WHERE closed AND d.closure_reason = 'completed') AS completed
FROM (
    SELECT d.*, (d.status = 'closed' AND d.end_date BETWEEN %(from)s AND %(to)s) AS closed
    FROM duos_duo d
    WHERE d.start_date <= %(to)s AND (d.end_date IS NULL OR d.end_date >= %(from)s)
) d
LEFT JOIN duos_outcome o ON o.duo_id = d.id AND o.is_primary
GROUP BY GROUPING SETS ((d.partner_id), ())
"""

CADENCE_SQL = """
WITH months(first_day, last_day) AS (VALUES {months})
SELECT d.partner_id,
       count(*) FILTER (WHERE held.n >= p.min_meetings_per_month) AS reached,
       count(*) AS duo_months
FROM months m
JOIN (
    SELECT id, partner_id, programme_id, start_date, end_date FROM duos_duo
    WHERE start_date <= %s AND (end_date IS NULL OR end_date >= %s)
) d ON d.start_date <= m.first_day AND (d.end_date IS NULL OR d.end_date >= m.last_day)
JOIN programmes_programme p ON p.id = d.programme_id
CROSS JOIN LATERAL (
    SELECT count(*) AS n FROM duos_meeting mt
    WHERE mt.duo_id = d.id AND mt.status = 'held' AND mt.date BETWEEN m.first_day AND m.last_day
) held
GROUP BY GROUPING SETS ((d.partner_id), ())
"""

FUNDING_SQL = """
WITH c AS (
    SELECT id, amount, target_duos_per_year, period_start, period_end,
           EXISTS (SELECT 1 FROM programmes_conventionshare x WHERE x.convention_id = f.id) AS is_split
    FROM programmes_fundingconvention f
    WHERE period_start <= %(to)s AND period_end >= %(from)s
), counts AS (
    SELECT d.convention_id, d.partner_id, count(*) AS started_under,
           count(*) FILTER (WHERE d.start_date BETWEEN %(from)s AND %(to)s) AS started_in_period
    FROM duos_duo d
    WHERE d.convention_id IN (SELECT id FROM c)
    GROUP BY 1, 2
), keys AS (
    SELECT convention_id, partner_id FROM counts
    UNION
    SELECT convention_id, partner_id FROM programmes_conventionshare WHERE convention_id IN (SELECT id FROM c)
)
SELECT c.id, c.amount, c.target_duos_per_year, c.period_start, c.period_end, c.is_split,
       k.partner_id, coalesce(n.started_under, 0), coalesce(n.started_in_period, 0),
       s.id IS NOT NULL, s.amount, s.target_duos_per_year
FROM c
LEFT JOIN keys k ON k.convention_id = c.id
LEFT JOIN counts n ON n.convention_id = k.convention_id AND n.partner_id = k.partner_id
LEFT JOIN programmes_conventionshare s ON s.convention_id = k.convention_id AND s.partner_id = k.partner_id
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
)


def full_months(date_from, date_to):
    """(first, last) of each calendar month lying wholly inside the period."""
    months = []
    first = date_from if date_from.day == 1 else (date_from.replace(day=28) + datetime.timedelta(days=4)).replace(day=1)
    while True:
        last = (first.replace(day=28) + datetime.timedelta(days=4)).replace(day=1) - datetime.timedelta(days=1)
        if last > date_to:
            return months
        months.append((first, last))
        first = last + datetime.timedelta(days=1)


def outcomes_family(date_from, date_to):
    """``{partner_id or None (total): {column: count}}``."""
    with connection.cursor() as cursor:
        cursor.execute(OUTCOMES_SQL, {"from": date_from, "to": date_to})
        return {row[0]: dict(zip(OUTCOME_COLUMNS, row[1:], strict=True)) for row in cursor.fetchall()}


def cadence_family(date_from, date_to):
    """``{partner_id or None: (reached, duo_months)}``."""
    months = full_months(date_from, date_to)
    if not months:
        return {}
    values = ", ".join("(%s::date, %s::date)" for _ in months)
    # Only duos active a whole month of the period can count: those that
    # started by the first day of the last month and ended after the last
    # day of the first month (an index-friendly prefilter).
    params = [day for month in months for day in month] + [months[-1][0], months[0][1]]
    with connection.cursor() as cursor:
        cursor.execute(CADENCE_SQL.format(months=values), params)
        return {row[0]: (row[1], row[2]) for row in cursor.fetchall()}


def funding_family(date_from, date_to):
    """Target attainment and budgets, in total and per partner, from one
    query: ``{partner_id or None: {"started_in_period", "target", "amount",
    "planned_duos", "started_under"}}`` (sums over the rows' convention parts)."""
    with connection.cursor() as cursor:
        cursor.execute(FUNDING_SQL, {"from": date_from, "to": date_to})
        rows = cursor.fetchall()
    conventions, funded = {}, defaultdict(set)
    for cid, amount, target, start, end, split, partner_id, under, *_rest in rows:
        conventions[cid] = (amount, target, start, end, split)
        if partner_id is not None and under:
            funded[cid].add(partner_id)

    def whole_days(cid):
        start, end = conventions[cid][2], conventions[cid][3]
        return (end - start).days + 1

    def overlap_days(cid):
        first, last = max(conventions[cid][2], date_from), min(conventions[cid][3], date_to)
        return max((last - first).days + 1, 0)

    result = defaultdict(lambda: defaultdict(Decimal))

    def add(key, cid, amount, target, under, in_period):
        bucket = result[key]
        bucket["started_in_period"] += in_period
        bucket["started_under"] += under
        if target:
            bucket["target"] += Decimal(target) * overlap_days(cid) / Decimal(365)
            if amount is not None:
                bucket["amount"] += amount
                bucket["planned_duos"] += Decimal(target) * whole_days(cid) / Decimal(365)
        if amount is not None:
            bucket["actual_amount"] += amount

    totals = defaultdict(lambda: [0, 0])
    for cid, amount, target, _s, _e, split, partner_id, under, in_period, has_share, s_amount, s_target in rows:
        totals[cid][0] += under
        totals[cid][1] += in_period
        if partner_id is None:
            continue
        if split:
            if has_share:
                add(partner_id, cid, s_amount, s_target, under, in_period)
        elif len(funded[cid]) == 1:
            add(partner_id, cid, amount, target, under, in_period)
    for cid, (amount, target, _start, _end, _split) in conventions.items():
        add(None, cid, amount, target, *totals[cid])
    return result


def figures(date_from, date_to):
    """All three families (three queries)."""
    return {
        "outcomes": outcomes_family(date_from, date_to),
        "cadence": cadence_family(date_from, date_to),
        "funding": funding_family(date_from, date_to),
    }


def as_figure_pairs(floor):
    """The floor as ``{partner_id or None: {figure key: (numerator, denominator)}}``,
    the shape ``compare`` reads; denominators of counts are ``None``."""
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
            }
        )
    for partner_id, (reached, duo_months) in floor["cadence"].items():
        pairs[partner_id]["meeting_cadence_compliance"] = (reached, duo_months)
    for partner_id, row in floor["funding"].items():
        pairs[partner_id]["target_attainment"] = (int(row["started_in_period"]), round(row["target"], 2))
        pairs[partner_id]["budget_per_duo_actual"] = (round(row["actual_amount"], 2), int(row["started_under"]))
    return pairs
