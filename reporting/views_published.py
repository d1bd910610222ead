"""Published quarters: the list (with the form to publish a finished quarter),
one publication (its stored figures, files and restatement) and the download
of a stored file. Managers only: a publication holds every partner's figures
(anyone else gets 403; the dashboard shows restatements to every role, each
within what they may see)."""

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Min
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _
from django.views.generic import DetailView, ListView, View

from audit.models import AccessAction
from audit.services import access_log_record
from duos.models import Duo
from programmes.permissions import can_publish_reports

from .figures import REGISTRY, Period, Rounding, get
from .publishing import published_file_content, published_reports_for_user, quarter_publish
from .restatements import publication_scope, published_figure, restatement_of, scope_label
from .selectors import report_sources_for_user
from .views import PAGE_SIZE, RoleRequiredMixin

# How many finished quarters the form offers (most recent first).
QUARTERS_OFFERED = 40


def finished_quarters(first_day, today):
    """Labels of the quarters that have ended before ``today``, back to the
    quarter of ``first_day`` (at most ``QUARTERS_OFFERED``), most recent first."""
    last = Period.quarter_of(today).previous()
    first_day = min(first_day or last.date_from, last.date_from)
    quarters = Period(first_day, last.date_to).quarters()
    return [quarter.quarter_label for quarter in reversed(quarters)][:QUARTERS_OFFERED]


class PublishForm(forms.Form):
    quarter = forms.ChoiceField(label=_("Quarter"))
    rounding = forms.ChoiceField(label=_("Rounding of rates"), choices=Rounding.choices, initial=Rounding.HALF_UP)
    language = forms.ChoiceField(label=_("Language of the files"), choices=settings.LANGUAGES)
    note = forms.CharField(
        label=_("Note (optional)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("For example, to whom the report was sent."),
    )

    def __init__(self, *args, quarters, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["quarter"].choices = [(label, label.replace("Q", " Q")) for label in quarters]


class ManagerRequiredMixin(RoleRequiredMixin):
    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not can_publish_reports(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


class PublishedReportListView(ManagerRequiredMixin, ListView):
    """Every publication, newest quarter first, superseded ones included,
    and the form that publishes a quarter (POST)."""

    template_name = "reporting/published_list.html"
    context_object_name = "publications"
    paginate_by = PAGE_SIZE

    def get_queryset(self):
        return published_reports_for_user(self.request.user)

    def get_form(self, data=None):
        first_day = Duo.objects.aggregate(first=Min("start_date"))["first"]
        quarters = finished_quarters(first_day, timezone.localdate())
        return PublishForm(data, quarters=quarters, initial={"language": translation.get_language()})

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.setdefault("form", self.get_form())
        return context

    def post(self, request, *args, **kwargs):
        form = self.get_form(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                publication = quarter_publish(
                    user=request.user,
                    quarter=data["quarter"],
                    rounding=data["rounding"],
                    language=data["language"],
                    note=data["note"],
                )
            except ValidationError as exc:
                for field, errors in exc.message_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                messages.success(
                    request,
                    _("%(quarter)s is published. Its figures and files are kept for ever.")
                    % {"quarter": publication.quarter},
                )
                return HttpResponseRedirect(publication.get_absolute_url())
        self.object_list = self.get_queryset()
        return self.render_to_response(self.get_context_data(form=form), status=400)


def figure_table(publication):
    """The stored figures as rows per figure with one cell per scope:
    ``(scopes, rows)``; ``rows`` is ``[(FigureDefinition, published version,
    [Figure or None])]``. One query."""
    stored = list(publication.figures.select_related("partner", "convention").order_by("pk"))
    scopes, figures, versions = {}, {}, {}
    for row in stored:
        scopes.setdefault(row.scope, scope_label(row))
        figures[(row.scope, row.key)] = published_figure(row)
        versions.setdefault(row.key, row.version)
    return list(scopes.values()), [
        (get(key), version, [figures.get((scope, key)) for scope in scopes])
        for key, version in versions.items()
        if key in REGISTRY
    ]


class PublishedReportDetailView(ManagerRequiredMixin, DetailView):
    """One publication: what was published, its files with their SHA-256,
    and how today's figures differ from it (its restatement)."""

    template_name = "reporting/published_detail.html"
    context_object_name = "publication"

    def get_queryset(self):
        return published_reports_for_user(self.request.user)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        publication = self.object
        scopes, rows = figure_table(publication)
        sources = report_sources_for_user(self.request.user, publication_scope(publication))
        context.update(scopes=scopes, figure_rows=rows, restatement=restatement_of(publication, sources))
        return context


class PublishedFileDownloadView(ManagerRequiredMixin, View):
    """A stored file, byte for byte as published (checked against its SHA-256)."""

    def get(self, request, *args, **kwargs):
        publication = get_object_or_404(published_reports_for_user(request.user), pk=kwargs["pk"])
        published_file = publication.files.filter(format=kwargs["format"]).first()
        if published_file is None:
            raise Http404
        content = published_file_content(published_file)
        response = HttpResponse(content, content_type=published_file.content_type)
        response["Content-Disposition"] = f'attachment; filename="{published_file.name}"'
        response["Cache-Control"] = "private, no-store"
        response["ETag"] = f'"{published_file.sha256}"'
        response["X-Content-SHA256"] = published_file.sha256
        access_log_record(
            request=request,
            action=AccessAction.REPORT_DOWNLOAD,
            obj=publication,
            detail=f"published {published_file.format} {publication.quarter}",
        )
        return response
