"""The view mixins every workspace screen is built on: rows only through
``visible_to(user)`` (another partner's record is a 404), the role checked for
writes (403), one service per form, pages read before their annotations."""

from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404, resolve_url
from django_htmx.http import HttpResponseClientRedirect

from mentoring.forms import add_service_errors

# Rows per page of every list screen.
PAGE_SIZE = 25


class VisibleQuerysetMixin(LoginRequiredMixin):
    """Rows come from ``model.objects.visible_to(user)`` and nowhere else: a
    record of another partner is a 404."""

    model = None

    def get_queryset(self):
        return self.model.objects.visible_to(self.request.user)


class WriteAccessMixin(VisibleQuerysetMixin):
    """Views that write. The object in the URL (if any) is resolved first, so
    another partner's record answers 404 whatever the role; then the role must
    allow the write (``write_permission``), else 403, for GET and POST alike."""

    write_permission = None  # a function of ``programmes.permissions``

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            if getattr(request, "htmx", False):
                # An expired session during an htmx post: send the whole page to
                # the login, back to the page the user was on, not into a section.
                next_url = request.htmx.current_url_abs_path or request.get_full_path()
                return HttpResponseClientRedirect(f"{resolve_url(settings.LOGIN_URL)}?{urlencode({'next': next_url})}")
            return self.handle_no_permission()
        self.object = self.resolve_object()
        if not type(self).write_permission(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def resolve_object(self):
        if "pk" not in self.kwargs:
            return None
        return get_object_or_404(self.get_queryset(), pk=self.kwargs["pk"])

    def get_object(self, queryset=None):
        return self.object


class ServiceFormMixin:
    """``form_valid`` calls one service (``perform``); its ``ValidationError``
    goes back onto the form, which re-renders with the input kept."""

    success_message = ""

    def perform(self, form):
        raise NotImplementedError

    def form_valid(self, form):
        try:
            self.object = self.perform(form)
        except ValidationError as exc:
            add_service_errors(form, exc)
            return self.form_invalid(form)
        except IntegrityError:
            # A concurrent request took a unique value (a slug, a number) between
            # the form's check and the write: checked again, the form says which.
            form = self.get_form()
            if form.is_valid():
                raise
            return self.form_invalid(form)
        if self.success_message:
            messages.success(self.request, self.success_message % {"object": self.object})
        return HttpResponseRedirect(self.get_success_url())

    def get_success_url(self):
        return self.object.get_absolute_url()


class PageThenAnnotateMixin:
    """For long annotated lists: the paginator works on the ids alone (the
    filters and the sort still apply), then only the page's rows are read with
    their annotations. Without this, PostgreSQL computes every per-row
    subquery for all the rows skipped by OFFSET on a deep page. One query more
    per page, whatever the number of rows."""

    def paginate_queryset(self, queryset, page_size):
        paginator, page, ids, is_paginated = super().paginate_queryset(queryset.values_list("pk", flat=True), page_size)
        ids = list(ids)
        rows = {row.pk: row for row in queryset.filter(pk__in=ids)}
        page.object_list = [rows[pk] for pk in ids if pk in rows]
        return paginator, page, page.object_list, is_paginated


class UserFormKwargsMixin:
    """Pass the requesting user to forms whose choices depend on it."""

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["user"] = self.request.user
        return kwargs
