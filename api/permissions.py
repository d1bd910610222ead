"""Who may do what through the API: the same rules as the pages
(``programmes.permissions``).

Reads: anyone signed in; what they see is ``visible_to(user)`` (another
partner's record is a 404). Writes on partner records: coordinators, on their
own partner's records; the record in the URL is resolved first, so another
partner's id is a 404 for every method and every role, and only then is the
role checked (403 for Actiris staff and managers, who read but do not write).
"""

from rest_framework.permissions import SAFE_METHODS, BasePermission

from programmes import permissions


class PartnerRecordAccess(BasePermission):
    message = None  # DRF's default "You do not have permission to perform this action."

    def has_permission(self, request, view):
        if not (request.user and request.user.is_authenticated):
            return False
        if request.method in SAFE_METHODS or not hasattr(view, request.method.lower()):
            return True  # a read, or a method this route does not take (405 follows)
        if view.kwargs.get(getattr(view, "lookup_url_kwarg", None) or getattr(view, "lookup_field", "pk")):
            # A write on one record: decided once the record is found
            # (``has_object_permission``), so that a foreign id stays a 404.
            return True
        return permissions.can_edit_partner_records(request.user)

    def has_object_permission(self, request, view, obj):
        if request.method in SAFE_METHODS:
            return True
        return permissions.can_edit_partner_records(request.user)
