"""Search filters of the access log (for the data-protection officer)."""

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from .models import AccessAction, AccessLogEntry

RECORD_TYPES = [
    ("duos.mentee", _("mentee")),
    ("duos.mentor", _("mentor")),
    ("duos.duo", _("duo")),
    ("duos.meeting", _("meeting")),
    ("duos.outcome", _("outcome")),
    ("programmes.fundingconvention", _("funding convention")),
    ("reporting.reportrequest", _("report")),
]


class AccessLogFilter(django_filters.FilterSet):
    username = django_filters.CharFilter(label=_("User"), lookup_expr="iexact")
    action = django_filters.ChoiceFilter(label=_("Action"), choices=AccessAction.choices)
    object_type = django_filters.ChoiceFilter(label=_("Record type"), choices=RECORD_TYPES)
    object_id = django_filters.CharFilter(label=_("Record id"))
    ip_address = django_filters.CharFilter(label=_("Address"))
    since = django_filters.DateFilter(
        label=_("From"), field_name="at", lookup_expr="date__gte", widget=forms.DateInput(attrs={"type": "date"})
    )
    until = django_filters.DateFilter(
        label=_("To"), field_name="at", lookup_expr="date__lte", widget=forms.DateInput(attrs={"type": "date"})
    )

    class Meta:
        model = AccessLogEntry
        fields = []
