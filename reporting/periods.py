"""Reporting periods, validated once for every entry point: the dashboard,
the report form, the ``report`` command and the API.

``clean_period`` and ``clean_view`` turn what a person typed into a
``Period`` and a view, or raise a ``ValidationError`` keyed by field, in the
user's language: dates within the allowed range (``mentoring.bounds``,
settings ``DATES_ALLOWED_FROM``/``DATES_ALLOWED_TO``), the end not before the
start, a cohort's as-of date not before the end of its period. Anything that
passes can be computed on both databases, from one day to the whole range.
``PeriodForm`` is the same as form fields; forms of other screens extend it.
"""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from mentoring.bounds import allowed_date_range, date_out_of_range_message

from .figures import FigureView, Period

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _in_range(day, field, errors):
    message = date_out_of_range_message(day)
    if message:
        errors.setdefault(field, []).append(message)


def clean_period(*, quarter="", date_from=None, date_to=None):
    """The period of a quarter (``"2019Q2"``) or of two dates (which win when
    given). Raises ``ValidationError`` keyed by ``quarter``, ``date_from`` or
    ``date_to``; without any of them, keyed by ``quarter``."""
    errors = {}
    if date_from or date_to:
        if not date_from:
            errors["date_from"] = [_("Give the first day of the period too, or pick a quarter.")]
        if not date_to:
            errors["date_to"] = [_("Give the last day of the period too, or pick a quarter.")]
        for day, field in ((date_from, "date_from"), (date_to, "date_to")):
            if day:
                _in_range(day, field, errors)
        if not errors and date_to < date_from:
            errors["date_to"] = [_("The end of the period is before its start.")]
        if errors:
            raise ValidationError(errors)
        return Period(date_from, date_to)
    if not quarter:
        raise ValidationError({"quarter": [_("Pick a quarter or give the dates of the period.")]})
    try:
        period = Period.quarter(quarter)
    except ValueError:
        raise ValidationError({"quarter": [_("A quarter is written like 2018Q3.")]}) from None
    first, last = allowed_date_range()
    if period.date_from < first or period.date_to > last:
        message = date_out_of_range_message(period.date_from if period.date_from < first else period.date_to)
        raise ValidationError({"quarter": [message]})
    return period


def clean_view(*, period, view="", as_of=None):
    """``(view, as_of)``: the closed-in-the-period view by default; a cohort's
    outcomes are read on ``as_of`` (by default the period's last day), which
    may not be before the end of the period. Raises ``ValidationError`` keyed
    by ``view`` or ``as_of``."""
    view = view or FigureView.CLOSED
    if view not in FigureView.values:
        raise ValidationError({"view": [_("Choose how the period is counted.")]})
    if view != FigureView.COHORT:
        return FigureView.CLOSED, None
    as_of = as_of or period.date_to
    errors = {}
    _in_range(as_of, "as_of", errors)
    if not errors and as_of < period.date_to:
        errors["as_of"] = [_("The outcomes are read on or after the last day of the period.")]
    if errors:
        raise ValidationError(errors)
    return FigureView.COHORT, as_of


class PeriodForm(forms.Form):
    """A quarter picked from a list, or free dates; closed in the period or a
    cohort with its as-of date. ``cleaned_data`` gains ``period`` (``None``
    when nothing was given and ``period_required`` is false), ``view`` and
    ``as_of``."""

    period_required = True

    quarter = forms.ChoiceField(label=gettext_lazy("Quarter"), required=False)
    date_from = forms.DateField(label=gettext_lazy("From"), required=False, widget=DATE_INPUT)
    date_to = forms.DateField(label=gettext_lazy("To"), required=False, widget=DATE_INPUT)
    view = forms.ChoiceField(
        label=gettext_lazy("Count"), choices=FigureView.choices, required=False, initial=FigureView.CLOSED
    )
    as_of = forms.DateField(
        label=gettext_lazy("Outcomes as of"),
        required=False,
        widget=DATE_INPUT,
        help_text=gettext_lazy("Cohort only; by default the last day of the period."),
    )

    def set_quarter_choices(self, first_day, last_day):
        """Offer the quarters from the quarter of ``last_day`` back to that of
        ``first_day`` (most recent first), within the allowed range."""
        low, high = allowed_date_range()
        first_day, last_day = max(first_day, low), min(max(first_day, last_day), high)
        choices = [
            (quarter.quarter_label, quarter.quarter_label.replace("Q", " Q"))
            for quarter in Period(first_day, max(first_day, last_day)).quarters()
        ]
        self.fields["quarter"].choices = [("", _("Pick a quarter"))] + list(reversed(choices))

    def clean(self):
        cleaned = super().clean()
        if any(name in self.errors for name in ("quarter", "date_from", "date_to", "as_of", "view")):
            return cleaned
        date_from, date_to, quarter = cleaned.get("date_from"), cleaned.get("date_to"), cleaned.get("quarter")
        if not (date_from or date_to or quarter) and not self.period_required:
            cleaned["period"] = None
            return cleaned
        period = clean_period(quarter=quarter, date_from=date_from, date_to=date_to)
        cleaned["period"] = period
        cleaned["view"], cleaned["as_of"] = clean_view(
            period=period, view=cleaned.get("view"), as_of=cleaned.get("as_of")
        )
        return cleaned
