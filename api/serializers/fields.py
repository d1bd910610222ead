"""Fields shared by the API's serializers."""

from rest_framework import serializers


class VisiblePrimaryKeyField(serializers.PrimaryKeyRelatedField):
    """A reference by id to a record the requesting user may see
    (``Model.objects.visible_to(user)``). Another partner's id is refused
    exactly like an id that does not exist: "Invalid pk - object does not exist"."""

    def get_queryset(self):
        request = self.context.get("request")
        user = getattr(request, "user", None)
        return self.queryset.model.objects.visible_to(user)
