from programmes import permissions


def roles(request):
    """Role flags for templates (navigation, read-only hints)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {
        "is_coordinator": permissions.is_coordinator(user),
        "is_actiris": permissions.is_actiris(user),
        "is_manager": permissions.is_manager(user),
        "can_edit_partner_records": permissions.can_edit_partner_records(user),
        "can_manage_programmes": permissions.can_manage_programmes(user),
        "can_request_reports": permissions.can_request_reports(user),
        "can_import_records": permissions.can_import_records(user),
        "is_dpo": permissions.is_data_protection_officer(user),
        "can_view_access_log": permissions.can_view_access_log(user),
    }
