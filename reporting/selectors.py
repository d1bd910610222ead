"""Reads of the reporting app that views, the export task and the ``report``
command share. Every read starts from what the user may see.

The figures themselves are in ``reporting.figures``; this module resolves
which duos, partners and conventions a report covers.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from django.conf import settings
from django.db.models import F, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from duos.models import Duo, Meeting
from mentoring.queries import count_subquery
from mentoring.types import AnyUser
from programmes.models import FundingConvention, Partner, Programme
from programmes.permissions import coordinator_partner_id

from .figures import (
    ALL_FUNDERS,
    BudgetBasis,
    FigureContext,
    FigureSources,
    FigureView,
    Period,
    Rounding,
    figure_set,
    get,
)
from .figures.breakdowns import outcomes_by_type
from .figures.evaluate import FigureSet, make_figure
from .figures.funding import Holdings, funding_inputs, funding_terms
from .figures.predicates import PRIMARY, alive_in, counted, rows_of, with_primary_outcome
from .models import ReportRequest


@dataclass(frozen=True)
class ReportScope:
    """What a report or the dashboard covers: the period and its view
    (closed in the period, or the cohort started in it with outcomes as of
    ``as_of``), the partner, programme or convention it is narrowed to, whose
    money it counts (``funder``: a funder's name, ``ALL_FUNDERS``, or empty for
    the default funder) and how it rounds."""

    period: Period
    partner: Partner | None = None
    programme: Programme | None = None
    convention: FundingConvention | None = None
    rounding: str = Rounding.HALF_UP
    budget_basis: str = BudgetBasis.DAYS
    view: str = FigureView.CLOSED
    as_of: datetime.date | None = None
    funder: str = ""

    @property
    def context(self) -> FigureContext:
        return FigureContext(period=self.period, view=self.view, as_of=self.as_of)

    def with_period(self, period: Period) -> ReportScope:
        """The same scope for ``period`` (a cohort keeps its distance to the as-of date)."""
        return replace(self, period=period, as_of=self.context.with_period(period).as_of)


# Kept under its old name for callers that only read it.
ReportSources = FigureSources


def funders_of(conventions: QuerySet[FundingConvention]) -> list[str]:
    """The funders of ``conventions``, sorted (one query)."""
    return sorted(set(conventions.order_by().values_list("funder", flat=True)))


def default_funder(funders: Sequence[str]) -> str:
    """The funder whose money figures show unless the user picks another:
    ``settings.REPORTING_DEFAULT_FUNDER`` when it funds something in sight,
    else the first funder; empty when there is none."""
    preferred = settings.REPORTING_DEFAULT_FUNDER
    if preferred in funders:
        return preferred
    return funders[0] if funders else ""


def _narrow(
    scope: ReportScope,
    *,
    duos: QuerySet,
    partners: QuerySet[Partner],
    conventions: QuerySet[FundingConvention],
    coordinator_partner: int | None = None,
) -> FigureSources:
    if scope.partner is not None:
        duos, partners = duos.filter(partner=scope.partner), partners.filter(pk=scope.partner.pk)
    if scope.programme is not None:
        duos, partners = duos.filter(programme=scope.programme), partners.filter(pk=scope.programme.partner_id)
    if scope.convention is not None:
        duos, conventions = duos.filter(convention=scope.convention), conventions.filter(pk=scope.convention.pk)
        funder = scope.convention.funder
    else:
        funder = scope.funder or default_funder(funders_of(conventions))
        conventions = conventions.filter(period_start__lte=scope.period.date_to, period_end__gte=scope.period.date_from)
        if funder != ALL_FUNDERS:
            conventions = conventions.filter(funder=funder)
    partner_rows = list(partners.order_by("name"))
    single = scope.partner
    if single is None and scope.programme is not None:
        single = next((p for p in partner_rows if p.pk == scope.programme.partner_id), None)
    if single is None and coordinator_partner is not None:
        single = partner_rows[0] if partner_rows else None
    return FigureSources(
        duos=duos,
        partners=partner_rows,
        conventions=list(conventions),
        single_partner=single,
        programme=scope.programme,
        funder=funder,
    )


def report_sources_for_user(user: AnyUser, scope: ReportScope) -> FigureSources:
    """What ``user`` may see of ``scope``: a coordinator only their partner."""
    return _narrow(
        scope,
        duos=Duo.objects.visible_to(user),
        partners=Partner.objects.visible_to(user),
        conventions=FundingConvention.objects.visible_to(user),
        coordinator_partner=coordinator_partner_id(user),
    )


def report_sources_for_everyone(scope: ReportScope) -> FigureSources:
    """Every partner, for the ``report`` command (run by whoever operates the
    server, who can read the whole database anyway)."""
    return _narrow(
        scope, duos=Duo.objects.all(), partners=Partner.objects.all(), conventions=FundingConvention.objects.all()
    )


def figure_set_for(sources: FigureSources, scope: ReportScope, *, keys: Iterable[str] | None = None) -> FigureSet:
    """The figures ``keys`` (all when ``None``) of ``sources`` for ``scope``."""
    return figure_set(
        sources=sources, context=scope.context, rounding=scope.rounding, budget_basis=scope.budget_basis, keys=keys
    )


def figure_set_for_user(user: AnyUser, scope: ReportScope, *, keys: Iterable[str] | None = None) -> FigureSet:
    """Every figure of ``scope`` that ``user`` may see, per partner, for the
    not-split row and in total, with their versions (``FigureSet.as_dict``):
    what the dashboard, the reports and a future API read."""
    return figure_set_for(report_sources_for_user(user, scope), scope, keys=keys)


def convention_table(sources: FigureSources, scope: ReportScope) -> list[dict[str, Any]]:
    """Money per convention (and per funder when several are in scope): one
    row per convention in scope, with its target for the period, the duos
    started under it in the period and target attainment, the planned and the
    actual budget per duo; then one subtotal row per funder. Three queries.
    Only the holdings the user's rows have count (a coordinator: their
    partner's). Empty for a programme (money is given to partners)."""
    if sources.programme is not None or not sources.conventions:
        return []
    holdings, counts = funding_inputs(sources, scope.period)
    rows_key = None if sources.single_partner is None else {sources.single_partner.pk}
    definitions = {key: get(key) for key in ("target_attainment", "budget_per_duo_planned", "budget_per_duo_actual")}

    def figures_of(subset: Holdings) -> dict[str, Any]:
        terms = funding_terms(subset, counts, period=scope.period, rows=rows_key, basis=scope.budget_basis)
        return {
            key: make_figure(d, getattr(terms, d.numerator), getattr(terms, d.denominator), scope.rounding)
            for key, d in definitions.items()
        }

    rows: list[dict] = []
    funders: dict[str, list[int]] = {}
    for convention in holdings.conventions:
        subset = Holdings([convention], [h for h in holdings.holdings if h.convention.id == convention.id])
        rows.append({"convention": convention, "figures": figures_of(subset)})
        funders.setdefault(convention.funder, []).append(convention.id)
    if len(funders) > 1:
        for funder, ids in sorted(funders.items()):
            subset = Holdings(
                [c for c in holdings.conventions if c.id in ids],
                [h for h in holdings.holdings if h.convention.id in ids],
            )
            rows.append({"funder": funder, "figures": figures_of(subset)})
    return rows


@dataclass
class ReportData:
    """Everything an exporter lays out; built once per report."""

    scope: ReportScope
    figures: FigureSet
    outcome_counts: dict
    duos: QuerySet
    generated_at: datetime.datetime
    scope_description: str = ""
    conventions: list = field(default_factory=list)  # ``convention_table`` rows
    restatements: list = field(default_factory=list)  # ``restatements.Restatement``, restated quarters only

    def duo_rows(self) -> list[dict[str, Any]]:
        """The duos active at some time in the period (the cohort's duos in the
        cohort view), one dict each, with pseudonymisable fields only (no names,
        job-seeker numbers, migration background or notes). One query; meetings
        counted in a subquery."""
        period = self.scope.period
        held = Meeting.objects.held().filter(date__gte=period.date_from, date__lte=period.date_to)
        return (
            with_primary_outcome(counted(self.duos))
            .filter(rows_of(self.scope.context) if self.scope.context.is_cohort else alive_in(period))
            .annotate(held_meetings=count_subquery(held, "duo"))
            .order_by("partner__name", "start_date", "pk")
            .values(
                "id",
                "start_date",
                "planned_end_date",
                "end_date",
                "status",
                "closure_reason",
                "held_meetings",
                partner_name=F("partner__name"),
                programme_name=F("programme__name"),
                convention_slug=F("convention__slug"),
                outcome=F(f"{PRIMARY}__type"),
                contract=F(f"{PRIMARY}__contract_type"),
                contract_months=F(f"{PRIMARY}__contract_months"),
            )
            .iterator(chunk_size=2000)
        )


def _describe(scope: ReportScope, sources: FigureSources) -> str:
    parts = []
    if sources.single_partner is not None:
        parts.append(str(sources.single_partner))
    else:
        parts.append(_("all partners"))
    if scope.programme is not None:
        parts.append(str(scope.programme))
    if scope.convention is not None:
        parts.append(str(scope.convention))
    return " · ".join(parts)


def report_data(
    sources: FigureSources, scope: ReportScope, *, sources_for: Callable[[ReportScope], FigureSources] | None = None
) -> ReportData:
    """The figures, outcomes and duos of a report over ``sources``, and, given
    ``sources_for`` (``scope -> FigureSources`` of the same reader), the
    published quarters restated since (``restatements.restatements_for_report``)."""
    from .restatements import restatements_for_report

    return ReportData(
        scope=scope,
        figures=figure_set_for(sources, scope),
        outcome_counts=outcomes_by_type(sources.duos, context=scope.context),
        duos=sources.duos,
        generated_at=timezone.now(),
        scope_description=_describe(scope, sources),
        conventions=convention_table(sources, scope),
        restatements=[] if sources_for is None else restatements_for_report(scope, sources_for),
    )


def get_report_request_for_user(user: AnyUser, pk: int) -> ReportRequest:
    """The request, or 404 when ``user`` may not see it (a foreign id is a 404)."""
    try:
        return ReportRequest.objects.visible_to(user).select_related("partner", "convention", "requested_by").get(pk=pk)
    except ReportRequest.DoesNotExist as exc:
        raise Http404 from exc
