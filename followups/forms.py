"""Forms of follow-ups: the record form (two clicks from the duo page: it
opens pre-filled with the situation at closure) and the programme's list of
follow-up offsets. The rules are the services'; forms parse input."""

import re

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from duos.models import ContractType, OutcomeSource, OutcomeType
from mentoring.widgets import DateInput

from .models import DEFAULT_FOLLOW_UP_MONTHS, MAX_FOLLOW_UP_MONTHS

SAME_JOB_CHOICES = [("", _("Not known / does not apply")), ("yes", _("Yes")), ("no", _("No"))]


class FollowUpForm(forms.Form):
    """A follow-up. New ones start from the situation recorded at closure
    (``initial_from``) and today's date, so that "nothing changed" is one
    click on Save; the coordinator changes what did change."""

    date = forms.DateField(label=_("Date of the follow-up"), widget=DateInput())
    situation = forms.ChoiceField(label=_("Situation"), choices=OutcomeType.choices, widget=forms.RadioSelect)
    contract_type = forms.ChoiceField(
        label=_("Contract type"), choices=[("", "---------"), *ContractType.choices], required=False
    )
    same_job = forms.TypedChoiceField(
        label=_("Same job as at closure"),
        choices=SAME_JOB_CHOICES,
        coerce=lambda value: {"yes": True, "no": False}.get(value),
        empty_value=None,
        required=False,
    )
    source = forms.ChoiceField(label=_("Source"), choices=OutcomeSource.choices, initial=OutcomeSource.MENTEE)
    note = forms.CharField(label=_("Note"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))

    @staticmethod
    def initial_from(outcome, follow_up=None):
        """Initial values: the follow-up being corrected, else the closure outcome."""
        if follow_up is not None:
            same_job = {True: "yes", False: "no"}.get(follow_up.same_job, "")
            return {
                "date": follow_up.date,
                "situation": follow_up.situation,
                "contract_type": follow_up.contract_type,
                "same_job": same_job,
                "source": follow_up.source,
                "note": follow_up.note,
            }
        initial = {"date": timezone.localdate(), "source": OutcomeSource.MENTEE}
        if outcome is not None:
            initial["situation"] = outcome.type
            initial["contract_type"] = outcome.contract_type
            if outcome.type in (OutcomeType.JOB, OutcomeType.SELF_EMPLOYMENT):
                initial["same_job"] = "yes"
        return initial


class FollowUpMonthsField(forms.CharField):
    """A programme's follow-ups as "3, 6, 12": whole months after closure,
    separated by commas or spaces; empty for none."""

    def __init__(self, **kwargs):
        kwargs.setdefault("label", _("Follow-ups after closure (months)"))
        kwargs.setdefault(
            "help_text",
            _("Months after the duo closes when the mentee's situation is asked again, e.g. 3, 6, 12. Empty: none."),
        )
        kwargs.setdefault("required", False)
        kwargs.setdefault("initial", ", ".join(str(months) for months in DEFAULT_FOLLOW_UP_MONTHS))
        super().__init__(**kwargs)

    def prepare_value(self, value):
        if isinstance(value, list | tuple):
            return ", ".join(str(months) for months in value)
        return value

    def to_python(self, value):
        value = super().to_python(value)
        parts = [part for part in re.split(r"[\s,;]+", value) if part]
        if not all(part.isdigit() for part in parts):
            raise forms.ValidationError(_("Give whole numbers of months, separated by commas."))
        months = sorted({int(part) for part in parts})
        if any(not 1 <= value <= MAX_FOLLOW_UP_MONTHS for value in months):
            raise forms.ValidationError(
                _("Each follow-up is between 1 and %(max)s months after closure.") % {"max": MAX_FOLLOW_UP_MONTHS}
            )
        return months
