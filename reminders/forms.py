from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from .models import Frequency


class DigestPreferenceForm(forms.Form):
    frequency = forms.ChoiceField(label=_("Reminder e-mails"), choices=Frequency.choices, widget=forms.RadioSelect)
    language = forms.ChoiceField(label=_("Language of the e-mails"), choices=settings.LANGUAGES)
