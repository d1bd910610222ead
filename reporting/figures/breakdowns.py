"""Breakdowns shown beside the figures: outcomes by type and the quarterly
trend. Each is one query, whatever the number of partners and duos."""

from django.db.models import Count
from django.utils.translation import gettext_lazy as _

from duos.models import ContractType, OutcomeType

from . import predicates as p
from .context import FigureContext
from .period import Period
from .registry import get
from .values import count_figure, rate_figure


def outcomes_by_type(duos, *, context):
    """Primary outcomes of the closed duos of ``context`` (closed in the
    period, or the cohort's closed by the as-of date): ``{(partner_id, outcome
    type, contract type): count}`` in one grouped query. A closed duo without
    a recorded primary outcome counts under type ``""``."""
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


def outcome_table(counts, partner_ids):
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


def quarterly_trend(duos, *, quarters, context, rounding):
    """Duos started and employment rate for each of ``quarters``, in one
    query: ``[(period, duos started figure, employment rate figure)]``. In the
    cohort view each quarter is a cohort (its duos' outcomes as of the
    context's as-of date); else the duos closed in that quarter."""
    if not quarters:
        return []
    started, employment = get("duos_started"), get("employment_rate")
    aggregates = {}
    for index, quarter in enumerate(quarters):
        quarter_context = FigureContext(period=quarter, view=context.view, as_of=context.as_of, today=context.today)
        aggregates[f"started_{index}"] = Count("pk", filter=started.numerator(quarter_context))
        aggregates[f"closed_{index}"] = Count("pk", filter=employment.denominator(quarter_context))
        aggregates[f"job_{index}"] = Count("pk", filter=employment.numerator(quarter_context))
    span = Period(quarters[0].date_from, quarters[-1].date_to)
    rows = p.rows_of(FigureContext(period=span, view=context.view, as_of=context.as_of, today=context.today))
    values = p.with_primary_outcome(p.counted(duos).filter(rows)).order_by().aggregate(**aggregates)
    return [
        (
            quarter,
            count_figure(values[f"started_{index}"]),
            rate_figure(values[f"job_{index}"], values[f"closed_{index}"], rounding),
        )
        for index, quarter in enumerate(quarters)
    ]
