from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from duos import bounds
from duos.models import Mentor
from mentoring.widgets import DateInput
from programmes.models import FundingConvention


class ChooseMentorForm(forms.Form):
    """The duo a choice starts: the chosen mentor (the row's button), its
    start date and, optionally, its funding convention."""

    mentor = forms.ModelChoiceField(label=_("Mentor"), queryset=Mentor.objects.none(), widget=forms.HiddenInput)
    start_date = forms.DateField(label=_("Start date"), widget=DateInput(), validators=[bounds.validate_record_date])
    convention = forms.ModelChoiceField(
        label=_("Funding convention"), queryset=FundingConvention.objects.none(), required=False
    )

    def __init__(self, *args, user, mentee, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["mentor"].queryset = Mentor.objects.visible_to(user).filter(partner_id=mentee.partner_id)
        self.fields["convention"].queryset = FundingConvention.objects.visible_to(user)
        self.fields["start_date"].initial = timezone.localdate()
