"""Password rules that depend on who the account is."""

from django.core.exceptions import ValidationError
from django.utils.translation import ngettext


def is_privileged_account(user):
    """Accounts that read every partner's records or administer the site:
    Actiris staff and managers, the data-protection officer, administrators."""
    from programmes.models import Role
    from programmes.permissions import membership_of

    if user is None:
        return False
    if getattr(user, "is_superuser", False) or getattr(user, "is_staff", False):
        return True
    if getattr(user, "pk", None) is None:
        return False
    membership = membership_of(user)
    return membership is not None and membership.role != Role.COORDINATOR


class PrivilegedMinimumLengthValidator:
    """At least ``min_length`` characters (default 12) for privileged accounts
    (see ``is_privileged_account``); other accounts keep Django's minimum."""

    def __init__(self, min_length=12):
        self.min_length = min_length

    def validate(self, password, user=None):
        if is_privileged_account(user) and len(password) < self.min_length:
            raise ValidationError(
                ngettext(
                    "Accounts with access to every partner need a password of at least %(min_length)d character.",
                    "Accounts with access to every partner need a password of at least %(min_length)d characters.",
                    self.min_length,
                ),
                code="password_too_short",
                params={"min_length": self.min_length},
            )

    def get_help_text(self):
        return ngettext(
            "Accounts with access to every partner need at least %(min_length)d character.",
            "Accounts with access to every partner need at least %(min_length)d characters.",
            self.min_length,
        ) % {"min_length": self.min_length}
