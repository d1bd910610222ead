"""Follow-ups after closure: list, read, record, correct."""

import django_filters
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status
from rest_framework.response import Response

from duos.models import OutcomeType
from followups import services
from followups.models import FollowUp

from ..filters import visible_duos
from ..serializers.followups import FollowUpCreateSerializer, FollowUpSerializer, FollowUpUpdateSerializer
from .base import PartnerRecordViewSet


class FollowUpFilter(django_filters.FilterSet):
    duo = django_filters.ModelChoiceFilter(label=_("Duo"), queryset=visible_duos)
    offset_months = django_filters.NumberFilter(label=_("Months after closure"))
    situation = django_filters.ChoiceFilter(label=_("Situation recorded"), choices=OutcomeType.choices)
    date = django_filters.DateFromToRangeFilter(label=_("Date between"))

    class Meta:
        model = FollowUp
        fields = ["duo", "offset_months", "situation", "date"]


class FollowUpViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, PartnerRecordViewSet):
    """Follow-ups recorded for the duos you may see: the mentee's situation
    some months after the duo closed (at the programme's follow_up_months).
    A coordinator records one (POST) and corrects it (PUT, PATCH); a
    follow-up never changes the duo's closure outcome."""

    # Writes: followups.services.follow_up_record, follow_up_update.

    model = FollowUp
    serializer_class = FollowUpSerializer
    filterset_class = FollowUpFilter

    @extend_schema(request=FollowUpCreateSerializer, responses={201: FollowUpSerializer})
    def create(self, request, *args, **kwargs):
        follow_up = services.follow_up_record(user=request.user, **self.input(FollowUpCreateSerializer))
        return Response(self.output(follow_up), status=status.HTTP_201_CREATED)

    @extend_schema(request=FollowUpUpdateSerializer, responses=FollowUpSerializer)
    def update(self, request, *args, partial=False, **kwargs):
        follow_up = self.get_object()
        data = {
            field: getattr(follow_up, field)
            for field in ("date", "situation", "contract_type", "same_job", "source", "note")
        }
        data.update(self.input(FollowUpUpdateSerializer, partial=partial))
        follow_up = services.follow_up_update(follow_up=follow_up, **data)
        return Response(self.output(follow_up))

    @extend_schema(request=FollowUpUpdateSerializer, responses=FollowUpSerializer)
    def partial_update(self, request, *args, **kwargs):
        return self.update(request, *args, partial=True, **kwargs)
