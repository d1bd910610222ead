"""Form widgets every app's forms and list filters share."""

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _


class DateInput(forms.DateInput):
    """The browser's date picker; it always exchanges ISO dates, whatever the locale."""

    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")


class DateRangeInputs(django_filters.widgets.DateRangeWidget):
    """Two date pickers side by side, each with its own accessible name."""

    template_name = "django/forms/widgets/multiwidget.html"  # no "-" between the two

    def __init__(self, attrs=None):
        super().__init__(attrs={"type": "date", "class": "form-control", **(attrs or {})})
        self.widgets[0].attrs["aria-label"] = _("From")
        self.widgets[1].attrs["aria-label"] = _("To")
