"""Reads of the reporting app that views, the export task and the ``report``
command share. Every read starts from what the user may see.

The figures themselves are in ``reporting.figures``; this module resolves
which duos, partners and conventions a report covers.
"""

from dataclasses import dataclass, replace

from django.db.models import Count, F, IntegerField, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from duos.models import Duo, Meeting, MeetingStatus
from programmes.models import FundingConvention, Partner
from programmes.permissions import coordinator_partner_id, is_manager

from .figures import BudgetBasis, Period, Rounding, figure_set
from .figures.breakdowns import outcomes_by_type
from .figures.definitions import PRIMARY, with_primary_outcome
from .models import ReportRequest


@dataclass(frozen=True)
class ReportScope:
    """What a report or the dashboard covers."""

    period: Period
    partner: Partner | None = None
    programme: object | None = None
    convention: FundingConvention | None = None
    rounding: str = Rounding.HALF_UP
    budget_basis: str = BudgetBasis.DAYS

    def with_period(self, period):
        return replace(self, period=period)


@dataclass(frozen=True)
class ReportSources:
    """The rows a report reads: duos, partner rows, conventions in scope, and
    the one partner the report is narrowed to (its total is that partner's
    row), if any."""

    duos: object
    partners: list
    conventions: object
    single_partner: Partner | None


def _narrow(scope, *, duos, partners, conventions, coordinator_partner=None):
    if scope.partner is not None:
        duos, partners = duos.filter(partner=scope.partner), partners.filter(pk=scope.partner.pk)
    if scope.programme is not None:
        duos, partners = duos.filter(programme=scope.programme), partners.filter(pk=scope.programme.partner_id)
    if scope.convention is not None:
        duos, conventions = duos.filter(convention=scope.convention), conventions.filter(pk=scope.convention.pk)
    else:
        conventions = conventions.filter(period_start__lte=scope.period.date_to, period_end__gte=scope.period.date_from)
    partners = list(partners.order_by("name"))
    single = scope.partner
    if single is None and scope.programme is not None:
        single = next((p for p in partners if p.pk == scope.programme.partner_id), None)
    if single is None and coordinator_partner is not None:
        single = partners[0] if partners else None
    return ReportSources(duos=duos, partners=partners, conventions=conventions, single_partner=single)


def report_sources_for_user(user, scope):
    """What ``user`` may see of ``scope``: a coordinator only their partner."""
    return _narrow(
        scope,
        duos=Duo.objects.visible_to(user),
        partners=Partner.objects.visible_to(user),
        conventions=FundingConvention.objects.visible_to(user),
        coordinator_partner=coordinator_partner_id(user),
    )


def report_sources_for_everyone(scope):
    """Every partner, for the ``report`` command (run by whoever operates the
    server, who can read the whole database anyway)."""
    return _narrow(
        scope, duos=Duo.objects.all(), partners=Partner.objects.all(), conventions=FundingConvention.objects.all()
    )


def figure_set_for(sources, scope):
    return figure_set(
        duos=sources.duos,
        period=scope.period,
        partners=sources.partners,
        conventions=sources.conventions,
        rounding=scope.rounding,
        budget_basis=scope.budget_basis,
        single_partner=sources.single_partner,
    )


def figure_set_for_user(user, scope):
    """Every figure of ``scope`` that ``user`` may see, per partner and in total."""
    return figure_set_for(report_sources_for_user(user, scope), scope)


@dataclass
class ReportData:
    """Everything an exporter lays out; built once per report."""

    scope: ReportScope
    figures: object
    outcome_counts: dict
    duos: object
    generated_at: object
    scope_description: str = ""

    def duo_rows(self):
        """The duos active at some time in the period, one dict each, with
        pseudonymisable fields only (no names, job-seeker numbers, migration
        background or notes). One query; meetings counted in a subquery."""
        period = self.scope.period
        held = (
            Meeting.objects.filter(
                duo=OuterRef("pk"), status=MeetingStatus.HELD, date__gte=period.date_from, date__lte=period.date_to
            )
            .order_by()
            .values("duo")
            .annotate(held=Count("pk"))
            .values("held")
        )
        return (
            with_primary_outcome(self.duos)
            .filter(Q(start_date__lte=period.date_to) & (Q(end_date__isnull=True) | Q(end_date__gte=period.date_from)))
            .annotate(held_meetings=Coalesce(Subquery(held, output_field=IntegerField()), Value(0)))
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


def _describe(scope, sources):
    parts = [str(scope.period)]
    if sources.single_partner is not None:
        parts.append(str(sources.single_partner))
    else:
        parts.append(_("all partners"))
    if scope.programme is not None:
        parts.append(str(scope.programme))
    if scope.convention is not None:
        parts.append(str(scope.convention))
    return " · ".join(parts)


def report_data(sources, scope):
    """The figures, outcomes and duos of a report over ``sources``."""
    return ReportData(
        scope=scope,
        figures=figure_set_for(sources, scope),
        outcome_counts=outcomes_by_type(sources.duos, period=scope.period),
        duos=sources.duos,
        generated_at=timezone.now(),
        scope_description=_describe(scope, sources),
    )


def report_requests_for_user(user):
    """The report requests ``user`` may see: their own; a manager sees all."""
    requests = ReportRequest.objects.select_related("partner", "convention", "requested_by")
    if is_manager(user):
        return requests
    return requests.filter(requested_by=user)


def get_report_request_for_user(user, pk):
    """The request, or 404 when ``user`` may not see it (a foreign id is a 404)."""
    try:
        return report_requests_for_user(user).get(pk=pk)
    except ReportRequest.DoesNotExist as exc:
        raise Http404 from exc
