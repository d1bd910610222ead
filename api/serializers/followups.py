"""Follow-ups: what became of the mentee months after the duo closed."""

from rest_framework import serializers

from duos.models import ContractType, Duo, OutcomeSource, OutcomeType
from followups.models import FollowUp

from .fields import VisiblePrimaryKeyField


class FollowUpSerializer(serializers.ModelSerializer):
    class Meta:
        model = FollowUp
        fields = [
            "id",
            "duo",
            "offset_months",
            "date",
            "situation",
            "contract_type",
            "same_job",
            "source",
            "note",
            "recorded_at",
        ]
        read_only_fields = fields


class FollowUpUpdateSerializer(serializers.Serializer):
    """Correct a recorded follow-up (its duo and offset stay)."""

    date = serializers.DateField()
    situation = serializers.ChoiceField(choices=OutcomeType.choices)
    contract_type = serializers.ChoiceField(choices=ContractType.choices, required=False, allow_blank=True, default="")
    same_job = serializers.BooleanField(required=False, allow_null=True, default=None)
    source = serializers.ChoiceField(choices=OutcomeSource.choices, required=False, default=OutcomeSource.MENTEE)
    note = serializers.CharField(required=False, allow_blank=True, default="")


class FollowUpCreateSerializer(FollowUpUpdateSerializer):
    """Record the mentee's situation ``offset_months`` after a closed duo
    ended: one of the programme's follow-ups (``follow_up_months`` of the
    programme), not recorded yet."""

    duo = VisiblePrimaryKeyField(queryset=Duo.objects.all())
    offset_months = serializers.IntegerField()
