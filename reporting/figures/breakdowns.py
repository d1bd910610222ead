"""Breakdowns shown beside the figures: outcomes by type and the quarterly
trend. Each is one or two queries, whatever the number of partners, duos and
quarters."""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from django.db.models import Count, QuerySet
from django.db.models.functions import TruncQuarter
from django.utils.translation import gettext_lazy as _

from duos.models import ContractType, OutcomeType

from . import predicates as p
from .context import FigureContext
from .period import Period
from .registry import get
from .values import count_figure, rate_figure

if TYPE_CHECKING:
    from .values import Figure


def outcomes_by_type(
    duos: QuerySet, *, context: FigureContext | None = None, period: Period | None = None
) -> dict[tuple[Any, str, str], int]:
    """Primary outcomes of the closed duos of ``context`` (closed in the
    period, or the cohort's closed by the as-of date; ``period`` alone: closed
    in it): ``{(partner_id, outcome type, contract type): count}`` in one
    grouped query. A closed duo without a recorded primary outcome counts
    under type ``""``."""
    if context is None:
        assert period is not None, "a context or a period"
        context = FigureContext(period=period)
    rows = (
        p.with_primary_outcome(p.counted(duos))
        .filter(p.closed_duos(context))
        .order_by()
        .values("partner_id", f"{p.PRIMARY}__type", f"{p.PRIMARY}__contract_type")
        .annotate(duos=Count("pk"))
    )
    return {
        (row["partner_id"], row[f"{p.PRIMARY}__type"] or "", row[f"{p.PRIMARY}__contract_type"] or ""): row["duos"]
        for row in rows
    }


def outcome_table(counts: dict[tuple[Any, str, str], int], partner_ids: Sequence[Any]) -> list[dict[str, Any]]:
    """Rows ``(label, [count per partner], total)`` for each outcome type,
    salaried jobs split by contract type, from ``outcomes_by_type``."""
    rows = []
    for outcome_type, label in OutcomeType.choices:
        per_partner = [
            sum(n for (p, t, _), n in counts.items() if p == partner_id and t == outcome_type)
            for partner_id in partner_ids
        ]
        rows.append({"type": outcome_type, "label": label, "counts": per_partner, "total": sum(per_partner)})
        if outcome_type == OutcomeType.JOB:
            for contract, contract_label in ContractType.choices:
                per_partner = [counts.get((partner_id, OutcomeType.JOB, contract), 0) for partner_id in partner_ids]
                rows.append(
                    {
                        "type": outcome_type,
                        "contract": contract,
                        "label": contract_label,
                        "counts": per_partner,
                        "total": sum(per_partner),
                        "indent": True,
                    }
                )
    missing = [sum(n for (p, t, _), n in counts.items() if p == partner_id and t == "") for partner_id in partner_ids]
    if any(missing):
        rows.append({"type": "", "label": _("No outcome recorded"), "counts": missing, "total": sum(missing)})
    return rows


def _quarter_of(value: datetime.date | datetime.datetime) -> str | None:
    day = value.date() if hasattr(value, "date") else value
    return Period.quarter_of(day).quarter_label


def quarterly_trend(
    duos: QuerySet, *, quarters: Sequence[Period], context: FigureContext, rounding: str
) -> list[tuple[Period, Figure, Figure]]:
    """Duos started and employment rate for each of ``quarters`` (consecutive):
    ``[(period, duos started figure, employment rate figure)]``. In the cohort
    view each quarter is a cohort (its duos' outcomes as of the context's
    as-of date): one query grouped by start quarter; else the duos closed in
    each quarter: one query grouped by start quarter and one by end quarter.
    The registry's conditions over the whole span, grouped by quarter, count
    what each quarter's own figures count; the cost does not grow with the
    number of quarters."""
    if not quarters:
        return []
    started, employment = get("duos_started"), get("employment_rate")
    span = FigureContext(
        period=Period(quarters[0].date_from, quarters[-1].date_to),
        view=context.view,
        as_of=context.as_of,
        today=context.today,
    )
    base = p.with_primary_outcome(p.counted(duos)).order_by()
    closed, job = Count("pk", filter=employment.denominator(span)), Count("pk", filter=employment.numerator(span))
    # A cohort's quarter is its start quarter; else a duo counts as started in
    # its start quarter and as closed in its end quarter.
    by_start = base.filter(started.numerator(span)).annotate(quarter=TruncQuarter("start_date")).values("quarter")
    if context.is_cohort:
        rows = list(by_start.annotate(started=Count("pk"), closed=closed, job=job))
    else:
        by_end = base.filter(employment.denominator(span)).annotate(quarter=TruncQuarter("end_date")).values("quarter")
        rows = list(by_start.annotate(started=Count("pk"))) + list(by_end.annotate(closed=closed, job=job))
    counts: dict = {}
    for row in rows:
        values = counts.setdefault(_quarter_of(row.pop("quarter")), {"started": 0, "closed": 0, "job": 0})
        values.update(row)
    trend = []
    for quarter in quarters:
        values = counts.get(quarter.quarter_label, {"started": 0, "closed": 0, "job": 0})
        trend.append((quarter, count_figure(values["started"]), rate_figure(values["job"], values["closed"], rounding)))
    return trend
