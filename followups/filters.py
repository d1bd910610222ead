"""The follow-up list's filters. The rows are follow-up slots
(``followups.selectors.follow_up_slots``) of the duos the user may see; every
choice offered is limited to what the user may see."""

import django_filters
from django import forms
from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from duos.filters import SearchFilterSet, StableOrderingFilter, visible_partners, visible_programmes
from duos.models import Duo, OutcomeType
from duos.search import duos_matching
from mentoring.widgets import DateRangeInputs
from programmes.permissions import is_coordinator

from .models import EMPLOYED_SITUATIONS, UNKNOWN_SITUATION, FollowUp
from .selectors import SlotState, due_between, follow_up_window, offsets_in_use, slot_state_filter

# Groups of recorded situations the figures count (their drill-down links use them).
SITUATION_GROUPS = {
    "employed": EMPLOYED_SITUATIONS,
    "known": tuple(value for value in OutcomeType.values if value != UNKNOWN_SITUATION),
}


class FollowUpFilter(SearchFilterSet):
    """``state`` defaults to "due" (the to-do list); ``all`` lists every slot."""

    advanced_filters = ("due", "situation")
    search = staticmethod(duos_matching)

    state = django_filters.ChoiceFilter(
        label=_("Follow-ups"),
        choices=[*SlotState.choices, ("all", _("All"))],
        empty_label=None,
        method="filter_state",
        widget=forms.HiddenInput,  # chosen with the tabs above the list
    )
    partner = django_filters.ModelChoiceFilter(label=_("Partner"), queryset=visible_partners, empty_label=_("Any"))
    programme = django_filters.ModelChoiceFilter(
        label=_("Programme"), queryset=visible_programmes, empty_label=_("Any")
    )
    months = django_filters.ChoiceFilter(
        label=_("Months after closure"),
        choices=lambda: [(str(value), str(value)) for value in offsets_in_use()],
        empty_label=_("Any"),
        method="filter_months",
    )
    due = django_filters.DateFromToRangeFilter(label=_("Due between"), field_name="due_date", widget=DateRangeInputs())
    situation = django_filters.ChoiceFilter(
        label=_("Situation recorded"),
        choices=[
            ("employed", _("A salaried job or self-employment")),
            ("known", _("Known (anything but lost contact)")),
            *OutcomeType.choices,
        ],
        empty_label=_("Any"),
        method="filter_situation",
    )
    o = StableOrderingFilter(
        label=_("Sort by"),
        fields=(
            ("due_date", "due"),
            ("end_date", "closed"),
            ("mentee__last_name", "mentee"),
            ("programme__name", "programme"),
        ),
    )

    class Meta:
        model = Duo
        fields = ["q", "state", "partner", "programme", "months", "due", "situation"]

    def __init__(self, data=None, *args, **kwargs):
        data = data.copy() if data is not None else {}
        data.setdefault("state", SlotState.DUE)
        super().__init__(data, *args, **kwargs)
        if self.request is not None and is_coordinator(self.request.user):
            del self.filters["partner"]

    def filter_state(self, queryset, name, value):
        if value == "all":
            return queryset
        today = timezone.localdate()
        if value == SlotState.DUE:  # the to-do list: narrowed by closure date first (indexed)
            queryset = queryset.filter(due_between(today - follow_up_window(), today, offsets_in_use()))
        return queryset.filter(slot_state_filter(value, today=today))

    def filter_months(self, queryset, name, value):
        return queryset.filter(offset_months=int(value))

    def filter_situation(self, queryset, name, value):
        situations = SITUATION_GROUPS.get(value, (value,))
        recorded = FollowUp.objects.filter(
            duo=OuterRef("pk"), offset_months=OuterRef("offset_months"), situation__in=situations
        )
        return queryset.filter(Exists(recorded))
