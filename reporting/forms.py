"""Forms of the reporting screens. Every choice offered is limited to what
the user may see (``visible_to``); periods are validated by ``PeriodForm``
(``reporting.periods``), as in the ``report`` command and the API."""

import datetime
from functools import partial

from django import forms
from django.conf import settings
from django.forms.models import ModelChoiceIterator
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from programmes.models import FundingConvention, Partner, Programme
from programmes.permissions import is_coordinator

from .exporters import DEFAULT_FORMAT, EXPORTERS, requestable_format_choices
from .figures import ALL_FUNDERS, BudgetBasis, Rounding
from .periods import PeriodForm
from .selectors import default_funder, funders_of


def funder_choices(user, funders=None):
    """``(choices, default)``: each funder of the conventions ``user`` may see
    (``funders``, sorted, when the caller has read them: else one query), then
    all funders added together (an explicit choice, never the default)."""
    if funders is None:
        funders = funders_of(FundingConvention.objects.visible_to(user))
    choices = [(funder, funder) for funder in funders]
    if len(funders) > 1:
        choices.append((ALL_FUNDERS, _("All funders, added together")))
    return choices, default_funder(funders)


class ReadChoices(ModelChoiceIterator):
    """The choices of a ``ModelChoiceField`` from ``rows`` already read (its
    queryset's rows, in its order), so that rendering the form reads nothing
    again; a submitted value is still checked against the queryset."""

    def __init__(self, field, rows):
        super().__init__(field)
        self.rows = rows

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        for row in self.rows:
            yield self.choice(row)

    def __len__(self):
        return len(self.rows) + (self.field.empty_label is not None)

    def __bool__(self):
        return self.field.empty_label is not None or bool(self.rows)


class ScopeFieldsMixin:
    def limit_choices(self, user):
        self.fields["partner"].queryset = Partner.objects.visible_to(user).order_by("name")
        if "programme" in self.fields:
            self.fields["programme"].queryset = Programme.objects.visible_to(user).select_related("partner")
        # The conventions read once for their select and the funders: for a
        # coordinator each read tests every convention for their duos (10 ms
        # at 100,000 duos).
        conventions = FundingConvention.objects.visible_to(user)
        rows = list(conventions)
        field = self.fields["convention"]
        field.iterator = partial(ReadChoices, rows=rows)
        field.queryset = conventions  # after the iterator: its setter gives the widget the choices
        choices, default = funder_choices(user, funders=sorted({row.funder for row in rows}))
        self.fields["funder"].choices = choices
        self.fields["funder"].initial = default
        if is_coordinator(user):
            # A coordinator sees one partner: the choice would be noise.
            del self.fields["partner"]


class DashboardFilterForm(ScopeFieldsMixin, PeriodForm):
    period_required = False

    partner = forms.ModelChoiceField(label=_("Partner"), queryset=Partner.objects.none(), required=False)
    programme = forms.ModelChoiceField(label=_("Programme"), queryset=Programme.objects.none(), required=False)
    convention = forms.ModelChoiceField(
        label=_("Funding convention"), queryset=FundingConvention.objects.none(), required=False
    )
    funder = forms.ChoiceField(
        label=_("Money of"), required=False, help_text=_("Whose money the budget figures count.")
    )
    rounding = forms.ChoiceField(label=_("Rounding"), choices=Rounding.choices, required=False)

    def __init__(self, *args, user, first_day, last_day, **kwargs):
        super().__init__(*args, **kwargs)
        self.set_quarter_choices(first_day, last_day)
        self.limit_choices(user)


class ReportRequestForm(ScopeFieldsMixin, PeriodForm):
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
    funder = forms.ChoiceField(
        label=_("Money of"), required=False, help_text=_("Whose money the budget figures count.")
    )
    format = forms.ChoiceField(label=_("Format"), choices=requestable_format_choices, initial=DEFAULT_FORMAT)
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
        self.fields["date_from"].help_text = _("Or give free dates instead of a quarter.")
        self.set_quarter_choices(first_day or today.replace(year=today.year - 2), today)
        self.limit_choices(user)
        self.fields["format"].choices = [
            (value, label) for value, label in requestable_format_choices() if EXPORTERS[value].may_run(user)
        ]

    def clean(self):
        cleaned = super().clean()
        period = cleaned.get("period")
        if period is not None and period.date_from > timezone.localdate() + datetime.timedelta(days=366):
            self.add_error("date_from", _("The period is too far in the future."))
        return cleaned
