"""The dashboard and the quarterly report screens.

Every view resolves what the user may see first (``visible_to``; a report of
someone else is a 404), then checks the role (403), then reads or calls one
service."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Max, Min
from django.http import FileResponse, Http404, HttpResponseBadRequest, HttpResponseRedirect
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _
from django.views.generic import DetailView, FormView, ListView, TemplateView, View

from audit.models import AccessAction
from audit.services import access_log_record
from duos.exports import export_format
from duos.models import Duo
from mentoring.database_routing import ReportingReadsMixin
from mentoring.spreadsheets import spreadsheet_response
from programmes.permissions import can_request_reports, coordinator_partner_id, has_role

from .exporters import file_name, get_exporter, report_file_name
from .exporters.tables import partner_table_header, partner_table_rows
from .figures import NOT_SPLIT, FigureView, Period, Rounding, get
from .figures.after_closure import FOLLOW_UP_KEYS
from .figures.breakdowns import outcome_table, outcomes_by_type, quarterly_trend
from .figures.registry import NUMERATOR
from .forms import DashboardFilterForm, ReportRequestForm
from .links import figure_link, figure_links, outcome_link
from .models import ReportRequest
from .permissions import can_download_report
from .restatements import current_publication, publication_scope, restatement_of
from .selectors import (
    ReportScope,
    convention_table,
    figure_set_for,
    get_report_request_for_user,
    report_sources_for_user,
)
from .services import report_request_create, report_request_retry

HEADLINE_KEYS = (
    "duos_started",
    "duos_active_at_end",
    "duos_closed",
    "employment_rate",
    "positive_outcome_rate",
    "budget_per_duo_actual",
    "budget_per_duo_planned",
    "target_attainment",
    "time_to_match",
)
TREND_QUARTERS = 8
PAGE_SIZE = 25


class RoleRequiredMixin(LoginRequiredMixin):
    """Users with a role (coordinator, staff, manager, administrator)."""

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not has_role(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


def trend_quarters(period):
    """The quarters of the trend chart: those of the period, extended back to
    at least ``TREND_QUARTERS`` and cut to the last ``5 × TREND_QUARTERS``."""
    quarters = period.quarters()[-5 * TREND_QUARTERS :]
    while len(quarters) < TREND_QUARTERS:
        quarters.insert(0, quarters[0].previous())
    return quarters


def _cell(figures, key, *, scope, funder, partner=None, row=None):
    numerator_url, denominator_url = figure_links(key, scope=scope, partner=partner, row=row, funder=funder)
    return {"key": key, "figure": figures.get(key), "numerator_url": numerator_url, "denominator_url": denominator_url}


def headline_cards(figures, previous, *, scope, funder, keys=HEADLINE_KEYS):
    """The cards of ``keys``: each figure with its numerator and denominator
    links, the change against the previous period and, beside a rate, its
    data-quality counts (closed without outcome, lost contact; the unknown
    situations beside job retention)."""
    cards = []
    for key in keys:
        definition = get(key)
        card = _cell(figures.total, key, scope=scope, funder=funder)
        card.update(
            info=definition,
            previous=previous.total.get(key),
            quality=[
                {
                    "info": get(quality),
                    "figure": figures.total.get(quality),
                    "url": figure_link(quality, NUMERATOR, scope=scope),
                }
                for quality in definition.quality
            ],
        )
        cards.append(card)
    return cards


def partner_rows(figures, *, scope, funder):
    """One row per partner, the not-split row (money that belongs to no
    single partner), then the total (left out when it would repeat the only
    row). Each cell: the figure and the links to its numerator's and
    denominator's duos."""
    rows = [
        {
            "partner": partner,
            "cells": [_cell(row, key, scope=scope, funder=funder, partner=partner) for key in figures.keys],
        }
        for partner, row in figures.partners
    ]
    if figures.not_split is not None:
        rows.append(
            {
                "partner": None,
                "not_split": True,
                "cells": [
                    _cell(figures.not_split, key, scope=scope, funder=funder, row=NOT_SPLIT) for key in figures.keys
                ],
            }
        )
    if len(rows) != 1:
        rows.append(
            {
                "partner": None,
                "total": True,
                "cells": [_cell(figures.total, key, scope=scope, funder=funder) for key in figures.keys],
            }
        )
    return rows


def outcome_rows(table, partners, scope):
    """``outcome_table`` rows with a link to the duos behind each count."""
    for row in table:
        contract = row.get("contract", "")
        row["cells"] = [
            (count, outcome_link(row["type"], scope=scope, contract=contract, partner=partner))
            for count, partner in zip(row["counts"], partners, strict=True)
        ]
        row["total_url"] = outcome_link(row["type"], scope=scope, contract=contract)
    return table


def trend_context(trend):
    """The chart's data (``json_script``) and the same as table rows (figures,
    formatted in the user's locale by the template)."""
    return {
        "trend_rows": [(quarter.quarter_label, started, rate) for quarter, started, rate in trend],
        "trend_data": {
            "labels": [quarter.quarter_label for quarter, _s, _r in trend],
            "started": [started.value for _q, started, _r in trend],
            "employment_rate": [None if rate.value is None else float(rate.value) for _q, _s, rate in trend],
            "started_label": str(_("Duos started")),
            "rate_label": str(_("Employment rate (%)")),
        },
    }


def dashboard_restatement(user, scope, sources, figures, conventions):
    """The restatement of the dashboard's quarter when it is published (and
    shown closed in the period), else ``None``: one query when it is not; when
    it is, the comparison reuses the page's figures if the page shows the
    publication's scope and settings, else computes them (a fixed number of
    queries). Narrowed to the page's partner, or the coordinator's."""
    if scope.view != FigureView.CLOSED:
        return None
    publication = current_publication(scope.period)
    if publication is None:
        return None
    compared = publication_scope(publication, partner=scope.partner)
    if compared == scope:
        return restatement_of(publication, sources, current=figures, conventions=conventions)
    return restatement_of(publication, report_sources_for_user(user, compared))


class DashboardView(RoleRequiredMixin, ReportingReadsMixin, TemplateView):
    """Figures for a period (closed in it, or the cohort started in it):
    headline cards with the change against the previous period, the cards
    of the follow-ups (after the duo), a table per
    partner, money per convention, the quarterly trend and outcomes by type.
    A fixed number of queries whatever the number of partners, duos and
    months; for the previous period only the cards' figures are computed."""

    template_name = "reporting/dashboard.html"

    def resolve_scope(self, user, today):
        """The filter form and the scope it selects. Without filters: the
        last complete quarter, or the quarter of the latest duo start when the
        data stop earlier (the newest figures there are). A wrong filter is a
        form error; the page then shows the default period."""
        bounds = Duo.objects.visible_to(user).aggregate(first=Min("start_date"), last=Max("start_date"))
        first_day = bounds["first"] or today
        default_period = min(
            Period.quarter_of(today).previous(), Period.quarter_of(bounds["last"] or today), key=lambda p: p.date_from
        )
        form = DashboardFilterForm(self.request.GET or None, user=user, first_day=first_day, last_day=today)
        data = {}
        if form.is_bound:
            form.is_valid()  # the valid filters apply; the form shows what is wrong with the others
            data = form.cleaned_data
        else:
            form.initial = {"quarter": default_period.quarter_label, "funder": form.fields["funder"].initial}
        period = data.get("period") or default_period
        scope = ReportScope(
            period=period,
            view=data.get("view") if data.get("period") else FigureView.CLOSED,
            as_of=data.get("as_of") if data.get("period") else None,
            partner=data.get("partner"),
            programme=data.get("programme"),
            convention=data.get("convention"),
            # The form knows the default funder already (one query less per period).
            funder=data.get("funder") or form.fields["funder"].initial or "",
            rounding=data.get("rounding") or Rounding.HALF_UP,
        )
        return form, scope, first_day

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        today = timezone.localdate()
        form, scope, first_day = self.resolve_scope(user, today)
        sources = report_sources_for_user(user, scope)
        figures = figure_set_for(sources, scope)
        previous_scope = scope.with_period(scope.period.previous())
        previous = figure_set_for(
            report_sources_for_user(user, previous_scope), previous_scope, keys=HEADLINE_KEYS + FOLLOW_UP_KEYS
        )
        partners = [partner for partner, _row in figures.partners]
        trend = quarterly_trend(
            sources.duos, quarters=trend_quarters(scope.period), context=scope.context, rounding=scope.rounding
        )
        outcomes = outcome_table(outcomes_by_type(sources.duos, context=scope.context), [p.pk for p in partners])
        conventions = convention_table(sources, scope)
        context.update(
            form=form,
            scope=scope,
            period=scope.period,
            figure_context=scope.context,
            previous_period=previous_scope.period,
            figures=figures,
            funder=sources.funder,
            cards=headline_cards(figures, previous, scope=scope, funder=sources.funder),
            follow_up_cards=headline_cards(figures, previous, scope=scope, funder=sources.funder, keys=FOLLOW_UP_KEYS),
            figure_infos=[get(key) for key in figures.keys],
            rows=partner_rows(figures, scope=scope, funder=sources.funder),
            conventions=conventions,
            restatement=dashboard_restatement(user, scope, sources, figures, conventions),
            outcomes=outcome_rows(outcomes, partners, scope),
            outcome_partners=partners,
            can_request_reports=can_request_reports(user),
            years=list(range(first_day.year, today.year + 1)),
            **trend_context(trend),
        )
        return context


class DashboardTableExportView(DashboardView):
    """The dashboard's table per partner as a download, for the same filters:
    ``?format=xlsx`` (default) or ``?format=csv`` (CSV for Excel). The same
    rows and columns as the report's "CSV for Excel" (numerator, denominator
    and value of every figure, per partner, the not-split row and the total);
    only what the user may see; an access-log entry like every list export."""

    def get(self, request, *args, **kwargs):
        file_format = export_format(request)
        form, scope, _first_day = self.resolve_scope(request.user, timezone.localdate())
        if form.is_bound and form.errors:
            # The page shows the default period beside the form's errors; a file
            # would hide them: refuse, saying what is wrong.
            problems = "; ".join(str(error) for errors in form.errors.values() for error in errors)
            return HttpResponseBadRequest(
                _("Some filters are not valid: %(problems)s") % {"problems": problems},
                content_type="text/plain; charset=utf-8",
            )
        sources = report_sources_for_user(request.user, scope)
        figures = figure_set_for(sources, scope)
        access_log_record(
            request=request,
            action=AccessAction.LIST_EXPORT,
            object_type="reporting.dashboard",
            partner_id=coordinator_partner_id(request.user),
            detail=f"{file_format} {scope.period.slug()}",
        )
        name = file_name(
            period=scope.period,
            extension="",
            language=translation.get_language() or settings.LANGUAGE_CODE,
            view=scope.view,
            as_of=scope.as_of,
            partner=scope.partner,
            programme=scope.programme,
            convention=scope.convention,
            funder=sources.funder,
        ).rstrip(".")
        return spreadsheet_response(
            file_format=file_format,
            filename=f"{name}-by-partner",
            title=str(_("By partner")),
            headers=partner_table_header(figures.keys),
            rows=partner_table_rows(figures),
        )


class ReportRequestListView(LoginRequiredMixin, ListView):
    """The report requests the user may see (``ReportRequest.objects.visible_to``:
    their own, a manager everyone's; none without a role, as in the workspace)."""

    template_name = "reporting/report_list.html"
    context_object_name = "report_requests"
    paginate_by = PAGE_SIZE

    def get_queryset(self):
        return ReportRequest.objects.visible_to(self.request.user).select_related(
            "partner", "convention", "requested_by"
        )


class ReportRequestCreateView(RoleRequiredMixin, FormView):
    """Request a report: managers for any partner, coordinators for their own
    partner only (the service forces it)."""

    template_name = "reporting/report_form.html"
    form_class = ReportRequestForm

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not can_request_reports(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_initial(self):
        today = timezone.localdate()
        previous_quarter = Period.quarter_of(today).previous()
        initial = {
            "quarter": previous_quarter.quarter_label,
            "language": translation.get_language(),
            "view": FigureView.CLOSED,
        }
        # "Request a report" from the dashboard carries its period and view.
        for name in ("quarter", "date_from", "date_to", "view", "as_of", "funder"):
            if self.request.GET.get(name):
                initial[name] = self.request.GET[name]
        if initial.get("date_from"):
            initial["quarter"] = ""
        return initial

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["user"] = self.request.user
        kwargs["first_day"] = Duo.objects.visible_to(self.request.user).aggregate(first=Min("start_date"))["first"]
        return kwargs

    def form_valid(self, form):
        data = form.cleaned_data
        report_request = report_request_create(
            user=self.request.user,
            period=data["period"],
            view=data["view"],
            as_of=data["as_of"],
            partner=data.get("partner"),
            convention=data.get("convention"),
            funder=data.get("funder") or "",
            rounding=data["rounding"],
            budget_basis=data["budget_basis"],
            format=data["format"],
            language=data["language"],
            quarter=data.get("quarter") if not data.get("date_from") else "",
        )
        messages.success(self.request, _("Your report is being prepared; this page updates when it is ready."))
        return HttpResponseRedirect(report_request.get_absolute_url())


class ReportRequestDetailView(LoginRequiredMixin, DetailView):
    """One request: its parameters, its progress (polled with htmx every
    2 seconds until finished) and the download link."""

    template_name = "reporting/report_detail.html"
    context_object_name = "report_request"

    def get_object(self, queryset=None):
        return get_report_request_for_user(self.request.user, self.kwargs["pk"])


class ReportRequestStatusView(ReportRequestDetailView):
    """The status partial alone: what htmx polls every 2 seconds."""

    template_name = "reporting/partials/report_status.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["compact"] = bool(self.request.GET.get("compact"))
        return context


class ReportRequestRetryView(LoginRequiredMixin, View):
    """Send a failed request to the workers again (its requester only)."""

    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        report_request = get_report_request_for_user(request.user, kwargs["pk"])
        try:
            report_request_retry(user=request.user, report_request=report_request)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("Your report is being prepared again; this page updates when it is ready."))
        return HttpResponseRedirect(report_request.get_absolute_url())


class ReportDownloadView(LoginRequiredMixin, View):
    """The file, after checking the rights again; never served from MEDIA_URL."""

    def get(self, request, *args, **kwargs):
        report_request = get_report_request_for_user(request.user, kwargs["pk"])
        if not can_download_report(request.user, report_request):
            raise Http404
        if not report_request.is_downloadable:
            messages.warning(request, _("This report is not available any more; please request it again."))
            return HttpResponseRedirect(report_request.get_absolute_url())
        exporter = get_exporter(report_request.format)
        response = FileResponse(
            report_request.file.open("rb"),
            as_attachment=True,
            filename=report_file_name(report_request, exporter),
            content_type=exporter.content_type,
        )
        response["Cache-Control"] = "private, no-store"
        access_log_record(
            request=request,
            action=AccessAction.REPORT_DOWNLOAD,
            obj=report_request,
            detail=f"{report_request.format} {report_request.period}",
        )
        return response
