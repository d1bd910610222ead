"""Duos (with their lifecycle actions), meetings and outcomes."""

import uuid

from django.db import transaction
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, mixins, status
from rest_framework.decorators import action
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from duos import services
from duos.models import Duo, Meeting, Outcome
from duos.selectors import duos_with_list_columns

from ..filters import ApiDuoFilter, MeetingFilter, OutcomeFilter
from ..serializers.records import (
    DuoCloseSerializer,
    DuoClosureCorrectSerializer,
    DuoCorrectionSerializer,
    DuoCreateSerializer,
    DuoSerializer,
    DuoUpdateSerializer,
    MeetingCreateSerializer,
    MeetingSerializer,
    MeetingUpdateSerializer,
    OutcomeSerializer,
)
from ..services import record_reference_set
from ..versions import if_match_version
from .base import PartnerRecordViewSet


def idempotency_key(request):
    """The ``Idempotency-Key`` header as a UUID (the meeting's one-time
    ``form_token``, as the page's form carries), ``None`` without one; 400
    when it is not a UUID."""
    value = request.headers.get("Idempotency-Key", "").strip()
    if not value:
        return None
    try:
        return uuid.UUID(value)
    except ValueError:
        raise exceptions.ValidationError(
            {
                "non_field_errors": [
                    _("The Idempotency-Key header is a UUID, e.g. 1b4e28ba-2fa1-11d2-883f-0016d3cca427.")
                ]
            }
        ) from None


def annotated_duos(queryset):
    """Duos with what ``DuoSerializer`` shows beside their columns: meetings
    held, last meeting, behind cadence (``duos.selectors``) and the primary
    outcome's type, one subquery each, in the one query of the page."""
    return duos_with_list_columns(queryset)


class DuoViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, PartnerRecordViewSet):
    """Duos of the partners you may see, with the filters of the duo list.
    A coordinator starts a duo (POST, with the programme's rules checked),
    corrects an active duo's funding convention or planned end (PUT, PATCH,
    with If-Match), closes it with its primary outcome (POST .../close/) and,
    saying why, corrects a closure (.../correct-closure/), reopens a duo
    closed by mistake (.../reopen/) or cancels one entered by mistake
    (.../cancel/: kept, in no figure)."""

    # Writes: duos.services.duo_create, duo_update, duo_close, duo_closure_correct, duo_reopen, duo_cancel.

    model = Duo
    serializer_class = DuoSerializer
    filterset_class = ApiDuoFilter

    def get_queryset(self):
        return annotated_duos(super().get_queryset())

    def _reread(self, duo):
        return self.get_queryset().get(pk=duo.pk)

    @extend_schema(request=DuoCreateSerializer, responses={201: DuoSerializer})
    def create(self, request, *args, **kwargs):
        data = dict(self.input(DuoCreateSerializer))
        reference = data.pop("reference", "")
        with transaction.atomic():
            duo = services.duo_create(**data)
            record_reference_set(record=duo, reference=reference)
        return Response(self.output(self._reread(duo)), status=status.HTTP_201_CREATED)

    @extend_schema(request=DuoUpdateSerializer, responses=DuoSerializer)
    def update(self, request, *args, partial=False, **kwargs):
        duo = self.get_object()
        data = {"convention": duo.convention, "planned_end_date": duo.planned_end_date, "reference": duo.reference}
        data.update(self.input(DuoUpdateSerializer, partial=partial))
        reference = data.pop("reference")
        with transaction.atomic():
            duo = services.duo_update(duo=duo, opened_version=if_match_version(request), **data)
            record_reference_set(record=duo, reference=reference)
        return Response(self.output(self._reread(duo)))

    @extend_schema(request=DuoUpdateSerializer, responses=DuoSerializer)
    def partial_update(self, request, *args, **kwargs):
        return self.update(request, *args, partial=True, **kwargs)

    @extend_schema(request=DuoCloseSerializer, responses=DuoSerializer)
    @action(detail=True, methods=["post"])
    def close(self, request, *args, **kwargs):
        """Close an active duo with its closure reason and primary outcome."""
        duo = services.duo_close(duo=self.get_object(), **self.input(DuoCloseSerializer))
        return Response(self.output(self._reread(duo)))

    @extend_schema(request=DuoClosureCorrectSerializer, responses=DuoSerializer)
    @action(detail=True, methods=["post"], url_path="correct-closure")
    def correct_closure(self, request, *args, **kwargs):
        """Correct a closed duo's end date, reason and primary outcome, with the reason for the correction."""
        duo = services.duo_closure_correct(
            duo=self.get_object(),
            user=request.user,
            opened_version=if_match_version(request),
            **self.input(DuoClosureCorrectSerializer),
        )
        return Response(self.output(self._reread(duo)))

    @extend_schema(request=DuoCorrectionSerializer, responses=DuoSerializer)
    @action(detail=True, methods=["post"])
    def reopen(self, request, *args, **kwargs):
        """Reopen a duo closed by mistake: active again, its primary outcome removed (the history keeps it)."""
        duo = services.duo_reopen(duo=self.get_object(), user=request.user, **self.input(DuoCorrectionSerializer))
        return Response(self.output(self._reread(duo)))

    @extend_schema(request=DuoCorrectionSerializer, responses=DuoSerializer)
    @action(detail=True, methods=["post"])
    def cancel(self, request, *args, **kwargs):
        """Cancel a duo entered by mistake: kept with its meetings and outcome, counted in no figure."""
        duo = services.duo_cancel(duo=self.get_object(), user=request.user, **self.input(DuoCorrectionSerializer))
        return Response(self.output(self._reread(duo)))


class MeetingViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, PartnerRecordViewSet):
    """Meetings of the duos you may see (?duo=ID for one duo's). A
    coordinator logs a meeting of an active duo (POST), corrects it (PUT,
    PATCH, with If-Match) or deletes it (DELETE); a closed or cancelled duo's
    meetings are read-only. A second meeting of a duo on one day needs
    "confirm_same_day": true. A POST with an Idempotency-Key header (a UUID)
    that is sent again stores one meeting and answers it again."""

    # Writes: duos.services.meeting_log, meeting_update, meeting_delete.

    model = Meeting
    serializer_class = MeetingSerializer
    filterset_class = MeetingFilter

    @extend_schema(request=MeetingCreateSerializer, responses={201: MeetingSerializer})
    def create(self, request, *args, **kwargs):
        data = dict(self.input(MeetingCreateSerializer))
        reference = data.pop("reference", "")
        with transaction.atomic():
            meeting = services.meeting_log(form_token=idempotency_key(request), **data)
            record_reference_set(record=meeting, reference=reference)
        return Response(self.output(meeting), status=status.HTTP_201_CREATED)

    @extend_schema(request=MeetingUpdateSerializer, responses=MeetingSerializer)
    def update(self, request, *args, partial=False, **kwargs):
        meeting = self.get_object()
        data = {
            "date": meeting.date,
            "duration_minutes": meeting.duration_minutes,
            "place": meeting.place,
            "status": meeting.status,
            "note": meeting.note,
            "reference": meeting.reference,
        }
        data.update(self.input(MeetingUpdateSerializer, partial=partial))
        reference = data.pop("reference")
        with transaction.atomic():
            meeting = services.meeting_update(meeting=meeting, opened_version=if_match_version(request), **data)
            record_reference_set(record=meeting, reference=reference)
        return Response(self.output(meeting))

    @extend_schema(request=MeetingUpdateSerializer, responses=MeetingSerializer)
    def partial_update(self, request, *args, **kwargs):
        return self.update(request, *args, partial=True, **kwargs)

    def destroy(self, request, *args, **kwargs):
        services.meeting_delete(meeting=self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)


class OutcomeViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, PartnerRecordViewSet):
    """Outcomes of the duos you may see. A duo's primary outcome, the one the
    figures count, is recorded when the duo closes (POST /api/v1/duos/ID/close/)."""

    permission_classes = [IsAuthenticated]

    model = Outcome
    serializer_class = OutcomeSerializer
    filterset_class = OutcomeFilter
