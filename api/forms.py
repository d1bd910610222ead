from django import forms
from django.utils.translation import gettext_lazy as _

from .services import DEFAULT_TOKEN_LIFETIME_DAYS

NO_EXPIRY = "never"


class ApiTokenForm(forms.Form):
    """Name a new personal token and choose how long it lasts."""

    name = forms.CharField(
        label=_("Name"),
        max_length=100,
        help_text=_("What will use it, e.g. our CRM. Only you see it."),
    )
    lifetime_days = forms.ChoiceField(
        label=_("Expires"),
        choices=[
            ("30", _("in 30 days")),
            ("90", _("in 90 days")),
            ("365", _("in a year")),
            (NO_EXPIRY, _("never")),
        ],
        initial=str(DEFAULT_TOKEN_LIFETIME_DAYS),
    )

    def clean_lifetime_days(self):
        value = self.cleaned_data["lifetime_days"]
        return None if value == NO_EXPIRY else int(value)
