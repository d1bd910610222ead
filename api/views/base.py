"""What every viewset of partner records shares."""

from rest_framework import viewsets
from rest_framework.generics import get_object_or_404

from ..permissions import PartnerRecordAccess
from ..versions import etag_of


class PartnerRecordViewSet(viewsets.GenericViewSet):
    """Rows come from ``model.objects.visible_to(user)`` and nowhere else: a
    record of another partner is a 404, for every method. Writes are for the
    coordinators of the record's partner (``PartnerRecordAccess``)."""

    model = None
    permission_classes = [PartnerRecordAccess]

    def get_queryset(self):
        return self.model.objects.visible_to(self.request.user)

    def _resolve_record_in_url(self):
        """On a record's URL, find the record first, so that another partner's
        id is a 404 whatever the method (even one the route does not take)."""
        kwarg = self.lookup_url_kwarg or self.lookup_field
        if kwarg in self.kwargs:
            get_object_or_404(self.get_queryset(), **{self.lookup_field: self.kwargs[kwarg]})

    def http_method_not_allowed(self, request, *args, **kwargs):
        if request.user and request.user.is_authenticated:
            self._resolve_record_in_url()
        return super().http_method_not_allowed(request, *args, **kwargs)

    def options(self, request, *args, **kwargs):
        self._resolve_record_in_url()
        return super().options(request, *args, **kwargs)

    def finalize_response(self, request, response, *args, **kwargs):
        """One record read or written answers with its version as ``ETag``
        (``api.versions``), to send back as ``If-Match``."""
        response = super().finalize_response(request, response, *args, **kwargs)
        if (self.detail and 200 <= response.status_code < 300) or response.status_code == 201:
            etag = etag_of(response.data)
            if etag:
                response["ETag"] = etag
        return response

    def input(self, serializer_class, *, instance=None, partial=False):
        """The request's body validated by ``serializer_class`` (400 with
        ``{field: [messages]}`` when its shape is wrong): its ``validated_data``."""
        serializer = serializer_class(
            instance, data=self.request.data, partial=partial, context=self.get_serializer_context()
        )
        serializer.is_valid(raise_exception=True)
        return serializer.validated_data

    def output(self, instance, serializer_class=None):
        serializer_class = serializer_class or self.get_serializer_class()
        return serializer_class(instance, context=self.get_serializer_context()).data
