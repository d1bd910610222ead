"""List filters of the staff screens; choices limited to what the user may see."""

import django_filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from mentoring.widgets import DateRangeInputs
from programmes.permissions import is_coordinator

from .models import FundingConvention, Partner, Programme


def visible_partners(request):
    if request is None:
        return Partner.objects.none()
    return Partner.objects.visible_to(request.user)


class NameSearchFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label=_("Search"),
        method="filter_search",
        widget=forms.TextInput(attrs={"type": "search", "placeholder": _("Name")}),
    )

    def filter_search(self, queryset, name, value):
        return queryset.filter(Q(name__icontains=value) | Q(slug__icontains=value))


class ActiveChoiceFilter(django_filters.BooleanFilter):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault(
            "widget",
            forms.Select(choices=[("", _("Any")), ("true", _("Active")), ("false", _("Inactive"))]),
        )
        super().__init__(*args, **kwargs)


class PartnerFilter(NameSearchFilterSet):
    is_active = ActiveChoiceFilter(label=_("Status"))
    o = django_filters.OrderingFilter(label=_("Sort by"), fields=(("name", "name"), ("created_at", "created")))

    class Meta:
        model = Partner
        fields = ["q", "is_active"]


class ProgrammeFilter(NameSearchFilterSet):
    partner = django_filters.ModelChoiceFilter(label=_("Partner"), queryset=visible_partners, empty_label=_("Any"))
    is_active = ActiveChoiceFilter(label=_("Status"))
    o = django_filters.OrderingFilter(
        label=_("Sort by"),
        fields=(("name", "name"), ("partner__name", "partner"), ("duration_months", "duration")),
    )

    class Meta:
        model = Programme
        fields = ["q", "partner", "is_active"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.request is not None and is_coordinator(self.request.user):
            del self.filters["partner"]  # a coordinator sees one partner


class FundingConventionFilter(NameSearchFilterSet):
    period = django_filters.DateFromToRangeFilter(
        label=_("Period start between"),
        field_name="period_start",
        widget=DateRangeInputs(),
    )
    o = django_filters.OrderingFilter(
        label=_("Sort by"),
        fields=(("name", "name"), ("period_start", "start"), ("amount", "amount")),
    )

    class Meta:
        model = FundingConvention
        fields = ["q", "period"]
