"""Reads of the reporting app that views, the export task and the ``report``
command share. Every read starts from what the user may see.

The figures themselves are in ``reporting.figures``; this module resolves
which duos, partners and conventions a user's report covers.
"""

from dataclasses import dataclass, replace

from django.http import Http404

from duos.models import Duo
from programmes.models import FundingConvention, Partner
from programmes.permissions import coordinator_partner_id, is_manager

from .figures import BudgetBasis, Period, Rounding, figure_set
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


def scoped_duos(user, scope):
    """The duos of the report: visible to ``user``, narrowed by the scope."""
    duos = Duo.objects.visible_to(user)
    if scope.partner is not None:
        duos = duos.filter(partner=scope.partner)
    if scope.programme is not None:
        duos = duos.filter(programme=scope.programme)
    if scope.convention is not None:
        duos = duos.filter(convention=scope.convention)
    return duos


def scoped_partners(user, scope):
    partners = Partner.objects.visible_to(user)
    if scope.partner is not None:
        partners = partners.filter(pk=scope.partner.pk)
    if scope.programme is not None:
        partners = partners.filter(pk=scope.programme.partner_id)
    return partners.order_by("name")


def scoped_conventions(user, scope):
    """The conventions in scope: the one chosen, else those visible to
    ``user`` whose period overlaps the report's."""
    conventions = FundingConvention.objects.visible_to(user)
    if scope.convention is not None:
        return conventions.filter(pk=scope.convention.pk)
    return conventions.filter(period_start__lte=scope.period.date_to, period_end__gte=scope.period.date_from)


def figure_set_for_user(user, scope):
    """Every figure of ``scope`` that ``user`` may see, per partner and in total.

    The report is narrowed to one partner (its total is that partner's row)
    when the scope names a partner or a programme, or the user is a
    coordinator."""
    partners = list(scoped_partners(user, scope))
    single = scope.partner
    if single is None and scope.programme is not None:
        single = scope.programme.partner
    if single is None and coordinator_partner_id(user) is not None:
        single = partners[0] if partners else None
    return figure_set(
        duos=scoped_duos(user, scope),
        period=scope.period,
        partners=partners,
        conventions=scoped_conventions(user, scope),
        rounding=scope.rounding,
        budget_basis=scope.budget_basis,
        single_partner=single,
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
