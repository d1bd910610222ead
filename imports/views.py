"""Spreadsheet imports: the template, the upload, the preview (polled with
htmx while a large file is being read), the confirmation.

Each view resolves the import request through ``visible_to`` first (another
partner's import is a 404), then checks the role (403), then calls one
service and redirects with a message."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _
from django.views.generic import DetailView, FormView, ListView, View
from django_htmx.http import HttpResponseClientRefresh

from mentoring.params import is_id
from mentoring.spreadsheets import CONTENT_TYPES, XLSX
from programmes.models import Partner
from programmes.permissions import can_import_records, coordinator_partner_id

from . import services
from .forms import ImportUploadForm
from .models import ImportRequest
from .template import build_template

PAGE_SIZE = 25


class ImportAccessMixin(LoginRequiredMixin):
    """Coordinators, Actiris staff and managers; the object in the URL, if
    any, is resolved first so that another partner's import is a 404."""

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        if "pk" in kwargs:
            self.import_request = get_object_or_404(
                ImportRequest.objects.visible_to(request.user).select_related("partner", "requested_by"),
                pk=kwargs["pk"],
            )
        if not can_import_records(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


class ImportListView(ImportAccessMixin, ListView):
    """The imports of the user's partner (every partner's for Actiris roles)."""

    template_name = "imports/import_list.html"
    context_object_name = "import_requests"
    paginate_by = PAGE_SIZE

    def get_queryset(self):
        return ImportRequest.objects.visible_to(self.request.user).select_related("partner", "requested_by")


class ImportCreateView(ImportAccessMixin, FormView):
    template_name = "imports/import_form.html"
    form_class = ImportUploadForm

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user}

    def get_initial(self):
        partner = self.request.GET.get("partner", "")
        return {"partner": partner} if is_id(partner) else {}

    def form_valid(self, form):
        import_request = services.import_request_create(
            user=self.request.user,
            partner=form.cleaned_data.get("partner"),
            uploaded_file=form.cleaned_data["file"],
            parsed=form.parsed,
        )
        return HttpResponseRedirect(import_request.get_absolute_url())


class ImportDetailView(ImportAccessMixin, DetailView):
    """One import: its progress while it runs, then its preview (rows to
    create, to update, every error) or its result."""

    template_name = "imports/import_detail.html"
    context_object_name = "import_request"

    def get_object(self, queryset=None):
        return self.import_request

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        request = self.import_request
        progress = services.progress_of(request.pk) if request.is_working else None
        context.update(
            progress=progress,
            percent=round(100 * progress[0] / progress[1]) if progress and progress[1] else None,
            is_owner=request.requested_by_id == self.request.user.pk,
            sheets=request.result.get("sheets", []),
            notices=request.result.get("notices", []),
            runs_in_background=services.runs_in_background(request.total_rows),
            other_language=request.language != translation.get_language(),
            run_language=dict(settings.LANGUAGES).get(request.language, request.language),
        )
        return context


class ImportStatusView(ImportDetailView):
    """The progress partial that htmx polls; once the run has finished the
    whole page is reloaded to show the preview or the result."""

    template_name = "imports/partials/import_progress.html"

    def get(self, request, *args, **kwargs):
        if not self.import_request.is_working:
            return HttpResponseClientRefresh()
        return super().get(request, *args, **kwargs)


class ImportActionView(ImportAccessMixin, View):
    """A POST that calls one service on the import and goes back to its page."""

    http_method_names = ["post"]
    action = None
    success_message = ""

    def post(self, request, *args, **kwargs):
        try:
            result = type(self).action(user=request.user, import_request=self.import_request)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            message = self.message_for(result)
            if message:
                messages.success(request, message)
        return HttpResponseRedirect(self.import_request.get_absolute_url())

    def message_for(self, result):
        return self.success_message


class ImportConfirmView(ImportActionView):
    action = staticmethod(services.import_confirm)

    def message_for(self, result):
        if result.status == "imported":
            return _("The file was imported.")
        if result.is_working:
            return _("The import has started; this page shows its progress.")
        return ""  # back to its preview, with the errors found


class ImportDiscardView(ImportActionView):
    action = staticmethod(services.import_discard)
    success_message = _("The import was discarded and its file deleted.")


class ImportRetryView(ImportActionView):
    action = staticmethod(services.import_retry)
    success_message = _("The file is being processed again; this page shows its progress.")


class ImportRecheckView(ImportActionView):
    """Preview the file again, in the language of the page."""

    def post(self, request, *args, **kwargs):
        try:
            services.import_recheck(
                user=request.user, import_request=self.import_request, language=translation.get_language()
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        return HttpResponseRedirect(self.import_request.get_absolute_url())


class TemplateDownloadView(ImportAccessMixin, View):
    """The template as XLSX in the chosen language (``?language=fr``); for a
    coordinator, or with ``?partner=`` for Actiris roles, the programme
    column lists that partner's programmes."""

    def get(self, request, *args, **kwargs):
        language = request.GET.get("language") or translation.get_language()
        try:
            language = translation.get_supported_language_variant(language)
        except LookupError as exc:
            raise Http404 from exc
        partner = None
        own_partner = coordinator_partner_id(request.user)
        partner_id = own_partner or (request.GET.get("partner") if is_id(request.GET.get("partner", "")) else None)
        if partner_id:
            partner = get_object_or_404(Partner.objects.visible_to(request.user), pk=partner_id)
        content = build_template(language=language, partner=partner)
        response = HttpResponse(content, content_type=CONTENT_TYPES[XLSX])
        day = timezone.localdate().isoformat()
        response["Content-Disposition"] = f'attachment; filename="import-template-{language}-{day}.xlsx"'
        return response
