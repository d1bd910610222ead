"""Mentors and mentees.

The mentee's migration background is special-category data (GDPR art. 9): it
is never in a list, and on one mentee only for the users who may see it on the
pages (``programmes.permissions.can_view_migration_background``: the
coordinator of the mentee's partner), who also record it.
"""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from duos.models import Mentee, Mentor
from matching.choices import Availability, Language
from programmes.permissions import can_view_migration_background

PERSON_FIELDS = ["first_name", "last_name", "birth_date", "gender", "email", "phone"]
# What matching compares (``matching.profile``).
MATCHING_FIELDS = ["spoken_languages", "sector", "commune", "availability"]


def _codes(choices, help_text):
    return serializers.ListField(
        child=serializers.ChoiceField(choices=choices), required=False, allow_empty=True, help_text=help_text
    )


def spoken_languages_field():
    return _codes(Language.choices, 'Languages spoken: a list of codes, e.g. ["fr", "ar"].')


def availability_field():
    return _codes(Availability.choices, "When the person is free to meet: a list of codes.")


class MentorSerializer(serializers.ModelSerializer):
    spoken_languages = spoken_languages_field()
    availability = availability_field()

    class Meta:
        model = Mentor
        fields = ["id", "partner", "reference", *PERSON_FIELDS, "employer", "job_title", *MATCHING_FIELDS]
        fields += ["created_at", "updated_at"]
        read_only_fields = ["partner", "created_at", "updated_at"]
        validators = []  # the rules are mentor_save's


class MenteeSerializer(serializers.ModelSerializer):
    """A mentee as lists show it: no migration background. ``languages`` is
    free text for the languages ``spoken_languages`` does not list."""

    spoken_languages = spoken_languages_field()
    availability = availability_field()

    class Meta:
        model = Mentee
        fields = [
            "id",
            "partner",
            "jobseeker_number",
            *PERSON_FIELDS,
            "education_level",
            "languages",
            "registered_on",
            *MATCHING_FIELDS,
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
