"""Staff forms: partners, programmes (their rules) and funding conventions."""

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Column, Fieldset, Layout, Row
from django import forms
from django.utils.translation import gettext_lazy as _

from followups.forms import FollowUpMonthsField
from mentoring.widgets import DateInput

from .models import ConventionShare, FundingConvention, Partner, Programme


class PartnerForm(forms.ModelForm):
    website = forms.URLField(label=_("website"), required=False, assume_scheme="https")

    class Meta:
        model = Partner
        fields = ["name", "slug", "website", "is_active"]


class ProgrammeForm(forms.ModelForm):
    follow_up_months = FollowUpMonthsField()  # saved by ``programme_follow_up_months_set``

    class Meta:
        model = Programme
        fields = [
            "partner",
            "name",
            "slug",
            "description",
            "duration_months",
            "min_meetings_per_month",
            "meeting_place",
            "mentee_min_age",
            "mentee_max_age",
            "mentor_min_age",
            "migration_background_required",
            "max_active_duos_per_mentor",
            "completion_tolerance_days",
            "is_active",
        ]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["partner"].queryset = Partner.objects.visible_to(user)
        if self.instance.pk:
            self.initial["follow_up_months"] = list(self.instance.follow_up_offsets.values_list("months", flat=True))
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True
        self.helper.layout = Layout(
            Fieldset(_("Programme"), "partner", "name", "slug", "description", "is_active"),
            Fieldset(
                _("Rules"),
                Row(Column("duration_months"), Column("min_meetings_per_month")),
                Row(Column("meeting_place"), Column("max_active_duos_per_mentor")),
                Row(Column("mentee_min_age"), Column("mentee_max_age"), Column("mentor_min_age")),
                "migration_background_required",
                "follow_up_months",
            ),
        )

    def clean(self):
        cleaned = super().clean()
        low, high = cleaned.get("mentee_min_age"), cleaned.get("mentee_max_age")
        if low is not None and high is not None and low > high:
            self.add_error("mentee_max_age", _("The maximum age must be at least the minimum age."))
        return cleaned


class FundingConventionForm(forms.ModelForm):
    class Meta:
        model = FundingConvention
        fields = ["name", "slug", "funder", "amount", "period_start", "period_end", "target_duos_per_year", "notes"]
        widgets = {"period_start": DateInput(), "period_end": DateInput(), "notes": forms.Textarea(attrs={"rows": 3})}

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("period_start"), cleaned.get("period_end")
        if start and end and end <= start:
            self.add_error("period_end", _("The period must end after it starts."))
        return cleaned


class ConventionShareForm(forms.ModelForm):
    class Meta:
        model = ConventionShare
        fields = ["partner", "amount", "target_duos_per_year"]


class BaseConventionShareFormSet(forms.BaseInlineFormSet):
    """The optional split of a convention between partners."""

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        partners = Partner.objects.visible_to(user)
        for form in self.forms:
            form.fields["partner"].queryset = partners
        self.empty_form.fields["partner"].queryset = partners

    def clean(self):
        super().clean()
        if any(self.errors):
            return
        total = sum(
            (form.cleaned_data.get("amount") or 0)
            for form in self.forms
            if form.cleaned_data and not form.cleaned_data.get("DELETE")
        )
        amount = getattr(self.instance, "amount", None)
        if amount is not None and total > amount:
            raise forms.ValidationError(_("The partners' shares add up to more than the convention's amount."))


ConventionShareFormSet = forms.inlineformset_factory(
    FundingConvention,
    ConventionShare,
    form=ConventionShareForm,
    formset=BaseConventionShareFormSet,
    extra=2,
    can_delete=True,
)
