"""The API's filters: the list pages' filtersets (``duos.filters``,
``programmes.filters``), so that ``?status=active&programme=3`` means the same
on ``/duos/`` and on ``/api/v1/duos/``, without their sort parameter ``o``
(API pages are in a fixed order, which cursor pagination needs); and filters of
the lists that have no page of their own (meetings, outcomes)."""

import django_filters
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from duos.filters import DuoFilter, MenteeFilter, MentorFilter
from duos.models import Duo, Meeting, MeetingStatus, Outcome, OutcomeType
from programmes.filters import FundingConventionFilter, PartnerFilter, ProgrammeFilter


def visible_duos(request):
    if request is None:
        return Duo.objects.none()
    return Duo.objects.visible_to(request.user)


class ApiMentorFilter(MentorFilter):
    o = None
    reference = django_filters.CharFilter(label=_("Reference"))

    @extend_schema_field(OpenApiTypes.INT)
    def filter_programme(self, queryset, name, value):
        return super().filter_programme(queryset, name, value)


class ApiMenteeFilter(MenteeFilter):
    o = None
    jobseeker_number = django_filters.CharFilter(label=_("Actiris job-seeker number"))

    @extend_schema_field(OpenApiTypes.INT)
    def filter_programme(self, queryset, name, value):
        return super().filter_programme(queryset, name, value)


class ApiDuoFilter(DuoFilter):
    o = None
    reference = django_filters.CharFilter(label=_("Reference"))


class ApiPartnerFilter(PartnerFilter):
    o = None


class ApiProgrammeFilter(ProgrammeFilter):
    o = None


class ApiFundingConventionFilter(FundingConventionFilter):
    o = None


class MeetingFilter(django_filters.FilterSet):
    duo = django_filters.ModelChoiceFilter(label=_("Duo"), queryset=visible_duos)
    date = django_filters.DateFromToRangeFilter(label=_("Date between"))
    status = django_filters.ChoiceFilter(label=_("Status"), choices=MeetingStatus.choices)
    reference = django_filters.CharFilter(label=_("Reference"))

    class Meta:
        model = Meeting
        fields = ["duo", "date", "status", "reference"]


class OutcomeFilter(django_filters.FilterSet):
    duo = django_filters.ModelChoiceFilter(label=_("Duo"), queryset=visible_duos)
    type = django_filters.ChoiceFilter(label=_("Outcome"), choices=OutcomeType.choices)
    is_primary = django_filters.BooleanFilter(label=_("Primary outcome"))

    class Meta:
        model = Outcome
        fields = ["duo", "type", "is_primary"]
