"""Duos, meetings and outcomes, and the actions on a duo."""

from rest_framework import serializers

from duos.models import (
    ClosureReason,
    ContractType,
    Duo,
    Meeting,
    MeetingPlace,
    MeetingStatus,
    Mentee,
    Mentor,
    Outcome,
    OutcomeSource,
    OutcomeType,
)
from programmes.models import FundingConvention, Programme

from .fields import ReferenceField, VisiblePrimaryKeyField


class DuoSerializer(serializers.ModelSerializer):
    """A duo as read. ``meetings_held`` (held meetings so far),
    ``last_meeting_date``, ``is_behind_cadence`` (the cadence rule of the duo
    list, over the last complete month) and ``outcome_type`` (of the primary
    outcome) are computed by the database."""

    meetings_held = serializers.IntegerField(read_only=True)
    last_meeting_date = serializers.DateField(read_only=True, allow_null=True)
    is_behind_cadence = serializers.BooleanField(read_only=True)
    outcome_type = serializers.ChoiceField(choices=OutcomeType.choices, read_only=True, allow_null=True)

    class Meta:
        model = Duo
        fields = [
            "id",
            "reference",
            "partner",
            "programme",
            "mentor",
            "mentee",
            "convention",
            "start_date",
            "planned_end_date",
            "end_date",
            "status",
            "closure_reason",
            "closure_note",
            "outcome_type",
            "meetings_held",
            "last_meeting_date",
            "is_behind_cadence",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields


class DuoCreateSerializer(serializers.Serializer):
    """Start a duo (``duos.services.duo_create``): the programme's rules, the
    ages and the people's other duos are checked there."""

    programme = VisiblePrimaryKeyField(queryset=Programme.objects.all())
    mentor = VisiblePrimaryKeyField(queryset=Mentor.objects.all())
    mentee = VisiblePrimaryKeyField(queryset=Mentee.objects.all())
    start_date = serializers.DateField()
    convention = VisiblePrimaryKeyField(queryset=FundingConvention.objects.all(), required=False, allow_null=True)
    reference = ReferenceField()


class DuoUpdateSerializer(serializers.Serializer):
    """Correct an active duo's funding convention or planned end
    (``duos.services.duo_update``); the rest is fixed once the duo runs."""

    convention = VisiblePrimaryKeyField(queryset=FundingConvention.objects.all(), allow_null=True)
    planned_end_date = serializers.DateField()
    reference = ReferenceField()


class DuoCloseSerializer(serializers.Serializer):
    """Close an active duo with its reason and primary outcome
    (``duos.services.duo_close``)."""

    end_date = serializers.DateField()
    reason = serializers.ChoiceField(choices=ClosureReason.choices)
    outcome_type = serializers.ChoiceField(choices=OutcomeType.choices)
    contract_type = serializers.ChoiceField(choices=ContractType.choices, required=False, allow_blank=True, default="")
    outcome_start_date = serializers.DateField(required=False, allow_null=True, default=None)
    contract_months = serializers.IntegerField(required=False, allow_null=True, default=None, min_value=0)
    employer = serializers.CharField(required=False, allow_blank=True, default="", max_length=200)
    source = serializers.ChoiceField(choices=OutcomeSource.choices, required=False, default=OutcomeSource.MENTEE)
    note = serializers.CharField(required=False, allow_blank=True, default="")


class DuoClosureCorrectSerializer(DuoCloseSerializer):
    """Correct a closed duo's closure and primary outcome, saying why
    (``duos.services.duo_closure_correct``)."""

    correction_reason = serializers.CharField(allow_blank=True)


class DuoCorrectionSerializer(serializers.Serializer):
    """Why a duo is reopened or cancelled (kept in its history)."""

    correction_reason = serializers.CharField(allow_blank=True)


class MeetingSerializer(serializers.ModelSerializer):
    class Meta:
        model = Meeting
        fields = [
            "id",
            "reference",
            "duo",
            "date",
            "duration_minutes",
            "place",
            "status",
            "note",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields


class MeetingUpdateSerializer(serializers.Serializer):
    """Correct a meeting (``duos.services.meeting_update``; the rules of logging
    one apply). ``confirm_same_day``: record a second meeting on a day that
    already has one (refused otherwise, as a likely double entry)."""

    date = serializers.DateField()
    duration_minutes = serializers.IntegerField()
    place = serializers.ChoiceField(choices=MeetingPlace.choices)
    status = serializers.ChoiceField(choices=MeetingStatus.choices, default=MeetingStatus.HELD)
    note = serializers.CharField(required=False, allow_blank=True, default="")
    confirm_same_day = serializers.BooleanField(required=False, default=False)
    reference = ReferenceField(help_text="Your system's own reference for this meeting; unique per duo.")


class MeetingCreateSerializer(MeetingUpdateSerializer):
    """Log a meeting of an active duo (``duos.services.meeting_log``)."""

    duo = VisiblePrimaryKeyField(queryset=Duo.objects.all())


class OutcomeSerializer(serializers.ModelSerializer):
    """What became of the mentee. The primary outcome is written when the duo
    closes (``POST /duos/{id}/close/``); figures count the primary one."""

    class Meta:
        model = Outcome
        fields = [
            "id",
            "duo",
            "is_primary",
            "type",
            "contract_type",
            "start_date",
            "contract_months",
            "employer",
            "source",
            "recorded_on",
            "note",
        ]
        read_only_fields = fields
