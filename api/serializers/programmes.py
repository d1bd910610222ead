"""Partners, programmes (with their rules) and funding conventions: read only."""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from programmes.models import ConventionShare, FundingConvention, Partner, Programme


class PartnerSerializer(serializers.ModelSerializer):
    class Meta:
        model = Partner
        fields = ["id", "name", "slug", "website", "is_active"]


class ProgrammeSerializer(serializers.ModelSerializer):
    """A programme and its rules (data, never constants in code).
    ``follow_up_months``: the follow-ups it asks for, in months after closure."""

    follow_up_months = serializers.SerializerMethodField()

    class Meta:
        model = Programme
        fields = [
            "id",
            "partner",
            "name",
            "slug",
            "description",
            "duration_months",
            "min_meetings_per_month",
            "meeting_place",
            "mentee_min_age",
            "mentee_max_age",
            "mentor_min_age",
            "migration_background_required",
            "completion_tolerance_days",
            "max_active_duos_per_mentor",
            "follow_up_months",
            "is_active",
        ]

    @extend_schema_field(serializers.ListField(child=serializers.IntegerField()))
    def get_follow_up_months(self, programme):
        return [offset.months for offset in programme.follow_up_offsets.all()]  # prefetched, in order


class ConventionShareSerializer(serializers.ModelSerializer):
    class Meta:
        model = ConventionShare
        fields = ["partner", "amount", "target_duos_per_year"]


class FundingConventionSerializer(serializers.ModelSerializer):
    """A funding convention; ``shares`` lists only the partners the user may see
    (a coordinator sees their own partner's share)."""

    shares = ConventionShareSerializer(many=True, read_only=True, source="visible_shares")

    class Meta:
        model = FundingConvention
        fields = [
            "id",
            "name",
            "slug",
            "funder",
            "amount",
            "period_start",
            "period_end",
            "target_duos_per_year",
            "notes",
            "shares",
        ]
