"""Who may do what. One policy answers both "may this user do X" and, through
``partner_scope``, "on which partners' rows": every ``visible_to(user)``
queryset of the project is built on ``partner_scope``.

Roles (see docs/design.md): a coordinator works on one partner's records; Actiris
staff read everything and manage partners, programmes and conventions;
managers can do what staff can plus request quarterly reports; administrators
(superusers) use the Django admin and read like staff; the data-protection
officer (DPO) sees no partner record, only the access log.
"""

from django.conf import settings

from programmes.models import ALL_PARTNERS, Role


def membership_of(user):
    """The user's ``Membership`` or ``None`` (anonymous, no role, or inactive)."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return None
    try:
        return user.membership
    except Exception:  # RelatedObjectDoesNotExist
        return None


def role_of(user):
    m = membership_of(user)
    return m.role if m else None


def partner_scope(user):
    """``ALL_PARTNERS`` for Actiris roles and superusers, the coordinator's
    partner id for a coordinator, ``None`` (nothing visible) otherwise, the
    data-protection officer included."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return None
    m = membership_of(user)
    if m is None:
        return ALL_PARTNERS if user.is_superuser else None
    if m.role == Role.COORDINATOR:
        return m.partner_id
    if m.role == Role.DPO:
        return None
    return ALL_PARTNERS


def is_coordinator(user):
    return role_of(user) == Role.COORDINATOR


def coordinator_partner_id(user):
    """The partner a coordinator works for, else ``None``."""
    m = membership_of(user)
    return m.partner_id if m and m.role == Role.COORDINATOR else None


def is_actiris(user):
    """Actiris staff, managers and administrators: read every partner."""
    return role_of(user) in (Role.STAFF, Role.MANAGER) or (
        getattr(user, "is_superuser", False) and user.is_active and membership_of(user) is None
    )


def is_manager(user):
    return role_of(user) == Role.MANAGER or (
        getattr(user, "is_superuser", False) and user.is_active and membership_of(user) is None
    )


def has_role(user):
    return partner_scope(user) is not None


def can_manage_programmes(user):
    """Create and edit partners, programmes and funding conventions."""
    return is_actiris(user)


def can_edit_partner_records(user):
    """Write mentors, mentees, duos, meetings and outcomes: coordinators only
    (Actiris roles read partner records but do not change them)."""
    return is_coordinator(user)


def can_import_records(user):
    """Import a spreadsheet of partner records: a coordinator for their own
    partner; Actiris staff, managers and administrators for a partner they
    choose (bringing in a partner's past records is part of setting it up)."""
    return is_coordinator(user) or is_actiris(user)


def can_request_reports(user):
    """Managers request reports for all partners; coordinators for their own."""
    return is_manager(user) or is_coordinator(user)


def can_publish_reports(user):
    """Publish a finished quarter's report (its figures and files, kept for
    ever): managers only; the published reports list is theirs too."""
    return is_manager(user)


def can_view_migration_background(user):
    """Special-category data (GDPR art. 9): shown per person only to the
    coordinator who records it and checks eligibility; never in lists or exports.
    Actiris roles work with aggregates and do not see it per person."""
    return is_coordinator(user)


def is_data_protection_officer(user):
    return role_of(user) == Role.DPO


def can_view_access_log(user):
    """Search the access log (who read or exported what): the data-protection
    officer, and administrators (who keep the application)."""
    return is_data_protection_officer(user) or (
        getattr(user, "is_superuser", False) and user.is_active and membership_of(user) is None
    )


def second_factor_required(user, *, enrolled=False):
    """Whether ``user`` must sign in with a second factor: always for the roles
    that read every partner's records or personal data across partners (staff,
    managers, the data-protection officer, administrators), for everyone when
    ``TWO_FACTOR_REQUIRED_FOR_ALL`` is set, and for a coordinator who chose to
    enrol (``enrolled``)."""
    if not getattr(user, "is_authenticated", False):
        return False
    if enrolled or settings.TWO_FACTOR_REQUIRED_FOR_ALL:
        return True
    if getattr(user, "is_superuser", False) or getattr(user, "is_staff", False):
        return True
    return role_of(user) in (Role.STAFF, Role.MANAGER, Role.DPO)


def can_see_history(user):
    """The History tab of a record: whoever may read the record (coordinators
    their own partner's, Actiris roles all); the record itself is reached
    through ``visible_to``."""
    return partner_scope(user) is not None


def can_exercise_data_rights(user):
    """Export a person's data or erase their identity (GDPR arts. 15 and 17):
    the coordinator of the person's partner, who holds the relationship with
    them (the person is reached through ``visible_to``)."""
    return is_coordinator(user)
