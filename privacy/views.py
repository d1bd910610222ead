"""GDPR rights of a mentee or a mentor, exercised by their partner's coordinator:
access (a printable page, or JSON) and erasure."""

import json

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views import View

from audit.models import AccessAction
from audit.services import access_log_record
from programmes.permissions import can_exercise_data_rights

from .forms import EraseConfirmForm
from .selectors import export_as_json, get_person_for_user, is_erased, person_data_export
from .services import person_erase


class DataRightsMixin(LoginRequiredMixin):
    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.person = get_person_for_user(request.user, kwargs["kind"], kwargs["pk"])
        if not can_exercise_data_rights(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


class PersonExportView(DataRightsMixin, View):
    """Everything about the person: a page to print, or ``?format=json``."""

    def get(self, request, kind, pk):
        export = person_data_export(self.person)
        as_json = request.GET.get("format") == "json"
        access_log_record(
            request=request,
            action=AccessAction.PERSONAL_DATA_EXPORT,
            obj=self.person,
            detail="json" if as_json else "page",
        )
        if as_json:
            response = HttpResponse(
                json.dumps(export_as_json(export), indent=2, ensure_ascii=False, default=str),
                content_type="application/json; charset=utf-8",
            )
            response["Content-Disposition"] = f'attachment; filename="{kind}-{pk}-personal-data.json"'
            response["Cache-Control"] = "private, no-store"
            return response
        return render(request, "privacy/person_export.html", {"person": self.person, "export": export, "kind": kind})


class PersonEraseView(DataRightsMixin, View):
    """Confirm, then erase the person's identity (figures stay the same)."""

    template_name = "privacy/person_erase.html"

    def _render(self, request, form):
        context = {"person": self.person, "form": form, "erased": is_erased(self.person, self.kwargs["kind"])}
        return render(request, self.template_name, context)

    def get(self, request, kind, pk):
        return self._render(request, EraseConfirmForm())

    def post(self, request, kind, pk):
        form = EraseConfirmForm(request.POST)
        if form.is_valid():
            try:
                person_erase(person=self.person, by=request.user)
            except ValidationError as error:
                form.add_error(None, error)
            else:
                access_log_record(request=request, action=AccessAction.PERSON_ERASE, obj=self.person)
                messages.success(request, _("The person's identity was erased; their duos and figures remain."))
                return redirect(self.person.get_absolute_url())
        return self._render(request, form)
