"""List filters (django-filter). Every choice offered is limited to what the
requesting user may see; the querysets filtered are already ``visible_to``."""

import django_filters
from django import forms
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from mentoring.widgets import DateRangeInputs
from programmes.models import FundingConvention, Partner, Programme
from programmes.permissions import is_coordinator

from .models import ClosureReason, ContractType, Duo, DuoStatus, Mentee, Mentor, OutcomeType
from .search import duos_matching, mentees_matching, mentors_matching
from .selectors import past_planned_end, without_meeting


def visible_programmes(request):
    if request is None:
        return Programme.objects.none()
    return Programme.objects.visible_to(request.user).select_related("partner")


def visible_conventions(request):
    if request is None:
        return FundingConvention.objects.none()
    return FundingConvention.objects.visible_to(request.user)


class StableOrderingFilter(django_filters.OrderingFilter):
    """Sorting that ends on the primary key, so that rows with equal sort
    values keep one order and pages neither repeat nor skip rows. ``then``
    maps a sort field to the field that breaks its ties before the key, in
    the same direction (``{"last_name": "first_name"}``): the order an index
    on ``(last_name, first_name, id)`` reads, either way."""

    def __init__(self, *args, then=None, **kwargs):
        self.then = then or {}
        super().__init__(*args, **kwargs)

    def filter(self, qs, value):
        qs = super().filter(qs, value)
        if value:
            order = []
            for term in qs.query.order_by:
                order.append(term)
                sign = "-" if str(term).startswith("-") else ""
                if str(term).lstrip("-") in self.then:
                    order.append(sign + self.then[str(term).lstrip("-")])
            qs = qs.order_by(*order, "-pk" if value[0].startswith("-") else "pk")
        return qs


def visible_partners(request):
    if request is None:
        return Partner.objects.none()
    return Partner.objects.visible_to(request.user)


class SearchFilterSet(django_filters.FilterSet):
    """A free-text ``q``: ``search`` narrows the queryset to what the words find
    (``duos.search``: names without regard to accents or case, a job-seeker
    number exactly)."""

    search = None  # a function (queryset, text) -> queryset
    advanced_filters = ()  # names shown under "More filters" (partials/filter_form.html)
    advanced_filters_used = False

    q = django_filters.CharFilter(
        label=_("Search"),
        method="filter_search",
        widget=forms.TextInput(attrs={"type": "search", "placeholder": _("Name or job-seeker number")}),
    )

    def filter_search(self, queryset, name, value):
        return type(self).search(queryset, value)


class YesNoFilter(django_filters.ChoiceFilter):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("choices", [("yes", _("Yes")), ("no", _("No"))])
        kwargs.setdefault("empty_label", _("Any"))
        super().__init__(*args, **kwargs)


class DuoFilter(SearchFilterSet):
    advanced_filters = (
        "end",
        "convention",
        "outcome",
        "contract",
        "closure_reason",
        "active_on",
        "past_planned_end",
        "without_meeting",
    )
    search = staticmethod(duos_matching)

    partner = django_filters.ModelChoiceFilter(label=_("Partner"), queryset=visible_partners, empty_label=_("Any"))
    programme = django_filters.ModelChoiceFilter(
        label=_("Programme"), queryset=visible_programmes, empty_label=_("Any")
    )
    status = django_filters.ChoiceFilter(label=_("Status"), choices=DuoStatus.choices, empty_label=_("Any"))
    start = django_filters.DateFromToRangeFilter(
        label=_("Started between"),
        field_name="start_date",
        widget=DateRangeInputs(),
    )
    behind_cadence = YesNoFilter(label=_("Behind cadence"), method="filter_behind_cadence")
    # The lists of the home page and the reminder e-mails (reminders.selectors).
    past_planned_end = YesNoFilter(label=_("Past the planned end, not closed"), method="filter_past_planned_end")
    without_meeting = YesNoFilter(label=_("Without a meeting for a while"), method="filter_without_meeting")
    # The filters below are what the dashboard's figures link to (reporting.links);
    # the list shows them under "More filters".
    end = django_filters.DateFromToRangeFilter(
        label=_("Ended between"),
        field_name="end_date",
        widget=DateRangeInputs(),
    )
    convention = django_filters.ModelChoiceFilter(
        label=_("Funding convention"), queryset=visible_conventions, empty_label=_("Any")
    )
    outcome = django_filters.ChoiceFilter(
        label=_("Outcome"),
        choices=[*OutcomeType.choices, ("missing", _("No outcome recorded"))],
        empty_label=_("Any"),
        method="filter_outcome",
    )
    contract = django_filters.ChoiceFilter(
        label=_("Contract type"),
        choices=ContractType.choices,
        empty_label=_("Any"),
        method="filter_contract",
    )
    closure_reason = django_filters.ChoiceFilter(
        label=_("Closure reason"), choices=ClosureReason.choices, empty_label=_("Any")
    )
    active_on = django_filters.DateFilter(
        label=_("Active on"),
        method="filter_active_on",
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    # A figure's numerator or denominator (the dashboard's links): the
    # registry entry of ``figure`` narrows the list (reporting.drilldown),
    # reading the period, view and scope from the other parameters.
    figure = django_filters.CharFilter(method="filter_figure", widget=forms.HiddenInput)
    o = StableOrderingFilter(
        label=_("Sort by"),
        fields=(
            ("start_date", "start"),
            ("mentee__last_name", "mentee"),
            ("mentor__last_name", "mentor"),
            ("programme__name", "programme"),
            ("planned_end_date", "planned_end"),
            ("status", "status"),
            ("last_meeting_date", "last_meeting"),
        ),
    )

    class Meta:
        model = Duo
        fields = [
            "q",
            "partner",
            "programme",
            "status",
            "start",
            "behind_cadence",
            "end",
            "convention",
            "outcome",
            "contract",
            "closure_reason",
            "active_on",
            "past_planned_end",
            "without_meeting",
            "figure",
        ]

    figure_drilldown = None

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.request is not None and is_coordinator(self.request.user):
            # A coordinator sees one partner: the choice would be noise.
            del self.filters["partner"]

    @property
    def advanced_filters_used(self):
        """Whether a "More filters" field is set (then the list shows them open)."""
        names = [name for name in self.advanced_filters if name in self.filters]
        return any(value for key, value in self.data.items() if any(key == n or key.startswith(f"{n}_") for n in names))

    def filter_outcome(self, queryset, name, value):
        """Duos by the type of their primary outcome (the one figures count)."""
        if value == "missing":
            return queryset.exclude(outcomes__is_primary=True)
        return queryset.filter(outcomes__is_primary=True, outcomes__type=value)

    def filter_contract(self, queryset, name, value):
        return queryset.filter(outcomes__is_primary=True, outcomes__contract_type=value)

    def filter_active_on(self, queryset, name, value):
        """Started on or before the day and not ended on or before it."""
        return queryset.filter(Q(start_date__lte=value) & (Q(end_date__isnull=True) | Q(end_date__gt=value)))

    def filter_past_planned_end(self, queryset, name, value):
        condition = past_planned_end(timezone.localdate())
        return queryset.filter(condition) if value == "yes" else queryset.exclude(condition)

    def filter_without_meeting(self, queryset, name, value):
        quiet = without_meeting(queryset, today=timezone.localdate())
        return quiet if value == "yes" else queryset.exclude(pk__in=quiet.values("pk"))

    def filter_figure(self, queryset, name, value):
        from reporting.drilldown import figure_drilldown

        self.figure_drilldown = figure_drilldown(self.request.user, self.data)
        self.figure_drilldown.filterset = self
        return self.figure_drilldown.apply(queryset)

    def filter_behind_cadence(self, queryset, name, value):
        # ``is_behind_cadence`` is annotated by ``duos.selectors.duos_with_cadence``.
        if value == "yes":
            return queryset.filter(is_behind_cadence=True)
        if value == "no":
            return queryset.filter(is_behind_cadence=False)
        return queryset


class PersonFilter(SearchFilterSet):
    """Shared by mentors and mentees: search, partner, programme and whether the
    person is in an active duo (through ``Exists``, so no row is repeated)."""

    partner = django_filters.ModelChoiceFilter(label=_("Partner"), queryset=visible_partners, empty_label=_("Any"))
    programme = django_filters.ModelChoiceFilter(
        label=_("Programme"), queryset=visible_programmes, method="filter_programme", empty_label=_("Any")
    )
    status = django_filters.ChoiceFilter(
        label=_("Duo status"),
        choices=[("active", _("In an active duo")), ("free", _("Not in an active duo"))],
        empty_label=_("Any"),
        method="filter_status",
    )
    start = django_filters.DateFromToRangeFilter(
        label=_("Duo started between"),
        method="filter_start",
        widget=DateRangeInputs(),
    )
    o = StableOrderingFilter(
        label=_("Sort by"),
        fields=(("last_name", "name"), ("created_at", "created")),
        then={"last_name": "first_name"},
    )

    person_field = None  # "mentor" or "mentee"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.request is not None and is_coordinator(self.request.user):
            del self.filters["partner"]

    def _duos(self, **lookups):
        return Exists(Duo.objects.filter(**{self.person_field: OuterRef("pk")}, **lookups))

    def filter_programme(self, queryset, name, value):
        return queryset.filter(self._duos(programme=value)) if value else queryset

    def filter_status(self, queryset, name, value):
        if value == "active":
            return queryset.filter(self._duos(status=DuoStatus.ACTIVE))
        if value == "free":
            return queryset.exclude(self._duos(status=DuoStatus.ACTIVE))
        return queryset

    def filter_start(self, queryset, name, value):
        if not value:
            return queryset
        lookups = {}
        if value.start:
            lookups["start_date__gte"] = value.start
        if value.stop:
            lookups["start_date__lte"] = value.stop
        return queryset.filter(self._duos(**lookups)) if lookups else queryset


class MentorFilter(PersonFilter):
    search = staticmethod(mentors_matching)
    person_field = "mentor"

    class Meta:
        model = Mentor
        fields = ["q", "partner", "programme", "status", "start"]


class MenteeFilter(PersonFilter):
    search = staticmethod(mentees_matching)
    person_field = "mentee"

    class Meta:
        model = Mentee
        fields = ["q", "partner", "programme", "status", "start"]
