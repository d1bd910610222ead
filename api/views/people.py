"""Mentors and mentees: list, read, create, update (no delete, as on the pages;
a person's data is erased through the privacy pages)."""

from django.db import transaction
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, status
from rest_framework.response import Response

from audit.models import AccessAction
from audit.services import access_log_record
from duos import services
from duos.models import Mentee, Mentor, MigrationBackground
from programmes import permissions

from ..filters import ApiMenteeFilter, ApiMentorFilter
from ..serializers.people import MenteeDetailSerializer, MenteeSerializer, MentorSerializer
from ..services import record_reference_set
from ..versions import if_match_version
from .base import PartnerRecordViewSet
from .logging import log_list_read


class MentorViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, PartnerRecordViewSet):
    """Mentors of the partners you may see. A coordinator records and
    corrects their own partner's mentors (POST, PUT, PATCH; with If-Match:
    the ETag read, a change made by someone else since is not overwritten)."""

    # Writes: duos.services.mentor_save.

    model = Mentor
    serializer_class = MentorSerializer
    filterset_class = ApiMentorFilter

    def create(self, request, *args, **kwargs):
        data = dict(self.input(MentorSerializer))
        reference = data.pop("reference", "")
        with transaction.atomic():
            mentor = Mentor(partner_id=permissions.coordinator_partner_id(request.user), **data)
            services.mentor_save(mentor=mentor)
            record_reference_set(record=mentor, reference=reference)
        return Response(self.output(mentor), status=status.HTTP_201_CREATED)

    def update(self, request, *args, partial=False, **kwargs):
        mentor = self.get_object()
        version = if_match_version(request)
        data = dict(self.input(MentorSerializer, instance=mentor, partial=partial))
        reference = data.pop("reference", mentor.reference)
        for field, value in data.items():
            setattr(mentor, field, value)
        with transaction.atomic():
            services.mentor_save(mentor=mentor, opened_version=version)
            record_reference_set(record=mentor, reference=reference)
        return Response(self.output(mentor))

    def partial_update(self, request, *args, **kwargs):
        return self.update(request, *args, partial=True, **kwargs)


NOT_GIVEN = object()


@extend_schema_view(
    retrieve=extend_schema(responses=MenteeDetailSerializer),
    create=extend_schema(request=MenteeDetailSerializer, responses={201: MenteeDetailSerializer}),
    update=extend_schema(request=MenteeDetailSerializer, responses=MenteeDetailSerializer),
    partial_update=extend_schema(request=MenteeDetailSerializer, responses=MenteeDetailSerializer),
)
class MenteeViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, PartnerRecordViewSet):
    """Mentees (job seekers) of the partners you may see. A coordinator
    records and corrects their own partner's mentees (POST, PUT, PATCH, with
    If-Match as for mentors).
    Reading a mentee, or a page of the list, is written to the access log."""

    # Writes: duos.services.mentee_save.

    model = Mentee
    serializer_class = MenteeSerializer
    filterset_class = ApiMenteeFilter

    def get_serializer_class(self):
        return MenteeSerializer if self.action == "list" else MenteeDetailSerializer

    def list(self, request, *args, **kwargs):
        response = super().list(request, *args, **kwargs)
        log_list_read(request, Mentee, response)
        return response

    def retrieve(self, request, *args, **kwargs):
        mentee = self.get_object()
        shown = self._with_migration_background(mentee)
        access_log_record(request=request, action=AccessAction.MENTEE_VIEW, obj=mentee)
        if shown:
            access_log_record(request=request, action=AccessAction.MIGRATION_BACKGROUND_VIEW, obj=mentee)
        return Response(self.output(mentee))

    def create(self, request, *args, **kwargs):
        data = dict(self.input(MenteeDetailSerializer))
        background = data.pop("has_migration_background", None)
        mentee = Mentee(partner_id=permissions.coordinator_partner_id(request.user), **data)
        services.mentee_save(mentee=mentee, has_migration_background=background)
        mentee.has_migration_background = background
        return Response(self.output(mentee), status=status.HTTP_201_CREATED)

    def update(self, request, *args, partial=False, **kwargs):
        mentee = self.get_object()
        version = if_match_version(request)
        data = dict(self.input(MenteeDetailSerializer, instance=mentee, partial=partial))
        background = data.pop("has_migration_background", NOT_GIVEN)
        for field, value in data.items():
            setattr(mentee, field, value)
        with transaction.atomic():
            if background is NOT_GIVEN:  # left out: the recorded answer is kept
                background = (
                    MigrationBackground.objects.filter(mentee=mentee)
                    .values_list("has_migration_background", flat=True)
                    .first()
                )
            services.mentee_save(mentee=mentee, has_migration_background=background, opened_version=version)
        mentee.has_migration_background = background
        return Response(self.output(mentee))

    def partial_update(self, request, *args, **kwargs):
        return self.update(request, *args, partial=True, **kwargs)

    def _with_migration_background(self, mentee):
        """Set ``mentee.has_migration_background`` for a user who may see it (as
        the mentee's page does); returns whether one is recorded and shown."""
        if not permissions.can_view_migration_background(self.request.user):
            return False
        background = MigrationBackground.objects.visible_to(self.request.user).filter(mentee=mentee).first()
        mentee.has_migration_background = background.has_migration_background if background else None
        return background is not None
