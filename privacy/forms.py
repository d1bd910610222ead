from django import forms
from django.utils.translation import gettext_lazy as _


class EraseConfirmForm(forms.Form):
    confirm = forms.BooleanField(
        label=_("I confirm: the person asked for erasure, and their identity cannot be restored."),
        required=True,
    )
