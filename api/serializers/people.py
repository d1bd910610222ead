"""Mentors and mentees.

The mentee's migration background is special-category data (GDPR art. 9): it
is never in a list, and on one mentee only for the users who may see it on the
pages (``programmes.permissions.can_view_migration_background``: the
coordinator of the mentee's partner), who also record it.
"""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from duos.models import Mentee, Mentor
from programmes.permissions import can_view_migration_background

PERSON_FIELDS = ["first_name", "last_name", "birth_date", "gender", "email", "phone"]


class MentorSerializer(serializers.ModelSerializer):
    class Meta:
        model = Mentor
        fields = ["id", "partner", "reference", *PERSON_FIELDS, "employer", "job_title", "created_at", "updated_at"]
        read_only_fields = ["partner", "created_at", "updated_at"]
        validators = []  # the rules are mentor_save's


class MenteeSerializer(serializers.ModelSerializer):
    """A mentee as lists show it: no migration background."""

    class Meta:
        model = Mentee
        fields = [
            "id",
            "partner",
            "jobseeker_number",
            *PERSON_FIELDS,
            "education_level",
            "languages",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["partner", "created_at", "updated_at"]
        validators = []  # the rules (one job-seeker number per partner...) are mentee_save's


@extend_schema_field(
    {
        "type": "boolean",
        "nullable": True,
        "description": (
            "Migration background (special-category data): true, false, or null for not recorded. "
            "Only for the coordinator of the mentee's partner, who records it; absent for everyone else "
            "and in lists. Left out of a write, the recorded answer is kept."
        ),
    }
)
class MigrationBackgroundField(serializers.BooleanField):
    pass


class MenteeDetailSerializer(MenteeSerializer):
    """One mentee; with ``has_migration_background`` for the users who may see it
    (the view sets the attribute on the mentee it read)."""

    has_migration_background = MigrationBackgroundField(allow_null=True, required=False)

    class Meta(MenteeSerializer.Meta):
        fields = [*MenteeSerializer.Meta.fields, "has_migration_background"]

    def get_fields(self):
        fields = super().get_fields()
        request = self.context.get("request")
        if request is not None and not can_view_migration_background(request.user):
            fields.pop("has_migration_background")
        return fields
