"""Forms of the reporting screens. Every choice offered is limited to what
the user may see (``visible_to``)."""

import datetime

from django import forms
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from programmes.models import FundingConvention, Partner, Programme
from programmes.permissions import is_coordinator

from .exporters import EXPORTERS
from .figures import BudgetBasis, Period, Rounding
from .models import ReportFormat

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def quarter_choices(first_day, last_day):
    """``[("2019Q2", "2019 Q2"), ...]`` from the quarter of ``last_day`` back
    to the quarter of ``first_day`` (most recent first)."""
    choices = []
    for quarter in Period(first_day, max(first_day, last_day)).quarters():
        label = quarter.quarter_label
        choices.append((label, label.replace("Q", " Q")))
    return list(reversed(choices))


class PeriodFormMixin:
    """A quarter picked from a list, or free dates (which win when given)."""

    def clean(self):
        cleaned = super().clean()
        date_from, date_to, quarter = cleaned.get("date_from"), cleaned.get("date_to"), cleaned.get("quarter")
        if date_from or date_to:
            if not (date_from and date_to):
                raise forms.ValidationError(_("Give both dates of the period, or pick a quarter."))
            if date_to < date_from:
                raise forms.ValidationError(_("The end of the period is before its start."))
            cleaned["period"] = Period(date_from, date_to)
        elif quarter:
            cleaned["period"] = Period.quarter(quarter)
        else:
            cleaned["period"] = None
        return cleaned


class ScopeFieldsMixin:
    def limit_choices(self, user):
        self.fields["partner"].queryset = Partner.objects.visible_to(user).order_by("name")
        self.fields["programme"].queryset = Programme.objects.visible_to(user).select_related("partner")
        self.fields["convention"].queryset = FundingConvention.objects.visible_to(user)
        if is_coordinator(user):
            # A coordinator sees one partner: the choice would be noise.
            del self.fields["partner"]


class DashboardFilterForm(PeriodFormMixin, ScopeFieldsMixin, forms.Form):
    quarter = forms.ChoiceField(label=_("Quarter"), required=False)
    date_from = forms.DateField(label=_("From"), required=False, widget=DATE_INPUT)
    date_to = forms.DateField(label=_("To"), required=False, widget=DATE_INPUT)
    partner = forms.ModelChoiceField(label=_("Partner"), queryset=Partner.objects.none(), required=False)
    programme = forms.ModelChoiceField(label=_("Programme"), queryset=Programme.objects.none(), required=False)
    convention = forms.ModelChoiceField(
        label=_("Funding convention"), queryset=FundingConvention.objects.none(), required=False
    )
    rounding = forms.ChoiceField(label=_("Rounding"), choices=Rounding.choices, required=False)

    def __init__(self, *args, user, first_day, last_day, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["quarter"].choices = [("", _("Pick a quarter"))] + quarter_choices(first_day, last_day)
        self.limit_choices(user)


class ReportRequestForm(PeriodFormMixin, forms.Form):
    quarter = forms.ChoiceField(label=_("Quarter"), required=False)
    date_from = forms.DateField(
        label=_("From"), required=False, widget=DATE_INPUT, help_text=_("Or give free dates instead of a quarter.")
    )
    date_to = forms.DateField(label=_("To"), required=False, widget=DATE_INPUT)
    partner = forms.ModelChoiceField(
        label=_("Partner"),
        queryset=Partner.objects.none(),
        required=False,
        empty_label=_("All partners and the total"),
    )
    convention = forms.ModelChoiceField(
        label=_("Funding convention"),
        queryset=FundingConvention.objects.none(),
        required=False,
        empty_label=_("All conventions"),
    )
    format = forms.ChoiceField(label=_("Format"), choices=ReportFormat.choices, initial=ReportFormat.XLSX)
    rounding = forms.ChoiceField(
        label=_("Rounding of rates"),
        choices=Rounding.choices,
        initial=Rounding.HALF_UP,
        help_text=_("The 2018 press release truncated rates; half up is the standard."),
    )
    budget_basis = forms.ChoiceField(
        label=_("Planned budget per duo"), choices=BudgetBasis.choices, initial=BudgetBasis.DAYS
    )
    language = forms.ChoiceField(label=_("Language of the report"), choices=settings.LANGUAGES)

    def __init__(self, *args, user, first_day=None, **kwargs):
        super().__init__(*args, **kwargs)
        today = timezone.localdate()
        self.fields["quarter"].choices = [("", _("Pick a quarter"))] + quarter_choices(
            first_day or today.replace(year=today.year - 2), today
        )
        self.fields["partner"].queryset = Partner.objects.visible_to(user).order_by("name")
        self.fields["convention"].queryset = FundingConvention.objects.visible_to(user)
        self.fields["format"].choices = [
            (value, label)
            for value, label in ReportFormat.choices
            if value in EXPORTERS and EXPORTERS[value].may_run(user)
        ]
        if is_coordinator(user):
            # Forced to the coordinator's own partner by the service.
            del self.fields["partner"]

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("period") is None and not self.errors:
            raise forms.ValidationError(_("Pick a quarter or give the dates of the period."))
        period = cleaned.get("period")
        if period is not None and period.date_from > timezone.localdate() + datetime.timedelta(days=366):
            raise forms.ValidationError(_("The period is too far in the future."))
        return cleaned
