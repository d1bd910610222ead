"""Fields shared by the API's serializers."""

from rest_framework import serializers

from duos.models import REFERENCE_MAX_LENGTH


class VisiblePrimaryKeyField(serializers.PrimaryKeyRelatedField):
    """A reference by id to a record the requesting user may see
    (``Model.objects.visible_to(user)``). Another partner's id is refused
    exactly like an id that does not exist: "Invalid pk - object does not exist"."""

    def get_queryset(self):
        request = self.context.get("request")
        user = getattr(request, "user", None)
        return self.queryset.model.objects.visible_to(user)


class ReferenceField(serializers.CharField):
    """The partner's own reference for a record (``duos.models.REFERENCE_MAX_LENGTH``
    characters, unique per partner): optional; left out of an update, kept."""

    def __init__(self, **kwargs):
        kwargs.setdefault("help_text", "Your system's own reference for this record; unique per partner.")
        super().__init__(required=False, allow_blank=True, max_length=REFERENCE_MAX_LENGTH, **kwargs)
