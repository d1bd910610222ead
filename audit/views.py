"""The access log's search page (data-protection officer, administrators) and
the History tab of partner records."""

from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.views.generic import TemplateView
from django_filters.views import FilterView

from programmes.permissions import can_see_history, can_view_access_log

from .filters import AccessLogFilter
from .history import HISTORY_KINDS, record_history
from .models import AccessAction, AccessLogEntry
from .services import access_log_record


class AccessLogView(LoginRequiredMixin, FilterView):
    """Who read or exported what: searchable, newest first, 50 a page."""

    model = AccessLogEntry
    filterset_class = AccessLogFilter
    template_name = "audit/access_log.html"
    paginate_by = 50

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not can_view_access_log(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_queryset(self):
        return AccessLogEntry.objects.order_by("-at", "-pk")


class RecordHistoryView(LoginRequiredMixin, TemplateView):
    """The History tab of a duo, mentee, mentor, meeting, outcome or funding
    convention: the record reached through ``visible_to`` (another partner's
    record is 404), its changes field by field."""

    template_name = "audit/history.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        kind = HISTORY_KINDS.get(kwargs["kind"])
        if kind is None or not can_see_history(user):
            raise Http404
        record = (
            kind.model.objects.visible_to(user).select_related(*kind.select_related).filter(pk=kwargs["pk"]).first()
        )
        if record is None:
            raise Http404
        access_log_record(request=self.request, action=AccessAction.HISTORY_VIEW, obj=record)
        context.update(kind=kind, record=record, changes=record_history(kind, record))
        return context
