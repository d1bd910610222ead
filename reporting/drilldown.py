"""The duos behind one part of one figure, for the workspace's duo list
(``duos.filters.DuoFilter``'s ``figure`` filter).

The parameters are those ``reporting.links`` writes: ``figure``, ``part``,
the period (``date_from``, ``date_to``, or ``quarter``), ``view`` and
``as_of``, ``partner``, ``programme``, ``convention``, ``funder`` and ``row``.
They are validated like the dashboard's (``PeriodForm``), the scope is
resolved from what the user may see (``report_sources_for_user``, as the
dashboard does), and the registry entry's family narrows the list: the list
counts what the figure counts.
"""

from dataclasses import dataclass, field

from django import forms
from django.db.models import Sum
from django.utils.translation import gettext as _

from programmes.models import FundingConvention, Partner, Programme

from .figures import NOT_SPLIT, REGISTRY, get
from .figures.families import get_family
from .figures.registry import DENOMINATOR, NUMERATOR
from .periods import PeriodForm
from .selectors import ReportScope, report_sources_for_user

PARAMETERS = ("part", "quarter", "date_from", "date_to", "view", "as_of", "funder", "row")


class FigureDrillDownForm(PeriodForm):
    figure = forms.ChoiceField(choices=())
    part = forms.ChoiceField(choices=[(NUMERATOR, NUMERATOR), (DENOMINATOR, DENOMINATOR)])
    partner = forms.ModelChoiceField(queryset=Partner.objects.none(), required=False)
    programme = forms.ModelChoiceField(queryset=Programme.objects.none(), required=False)
    convention = forms.ModelChoiceField(queryset=FundingConvention.objects.none(), required=False)
    funder = forms.CharField(required=False)
    row = forms.ChoiceField(choices=[("", ""), (NOT_SPLIT, NOT_SPLIT)], required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["quarter"] = forms.CharField(required=False)
        self.fields["figure"].choices = [(key, key) for key in REGISTRY]
        self.fields["partner"].queryset = Partner.objects.visible_to(user)
        self.fields["programme"].queryset = Programme.objects.visible_to(user)
        self.fields["convention"].queryset = FundingConvention.objects.visible_to(user)

    def clean(self):
        cleaned = super().clean()
        key, part = cleaned.get("figure"), cleaned.get("part")
        if key and part and not get(key).links(part):
            self.add_error("part", _("This part of the figure counts no duos."))
        return cleaned


@dataclass
class FigureDrillDown:
    """What the duo list shows above a figure's duos. ``errors`` non-empty:
    the parameters were wrong and the list is empty."""

    definition: object = None
    part: str = ""
    scope: object = None
    row: str = ""
    errors: list = field(default_factory=list)
    per_duo: str | None = None
    unit: str = "duos"
    hidden_fields: list = field(default_factory=list)
    filterset: object = None  # the duo list's filter, for the total of the final list
    _apply: object = None

    def apply(self, duos):
        if self.errors or self._apply is None:
            return duos.none()
        return self._apply(duos)

    @property
    def part_text(self):
        if self.definition is None:
            return ""
        return self.definition.numerator_text if self.part == NUMERATOR else self.definition.denominator_text

    @property
    def is_numerator(self):
        return self.part == NUMERATOR

    @property
    def is_not_split(self):
        return self.row == NOT_SPLIT

    def total_of(self, duos):
        """The sum of the per-duo counts over ``duos`` (the filtered list), for
        duo-months; ``None`` when the part counts duos (the list's length)."""
        if self.per_duo is None:
            return None
        return duos.aggregate(total=Sum(self.per_duo))["total"] or 0

    @property
    def total(self):
        """``total_of`` the duo list's final rows (all its filters applied)."""
        if self.filterset is None or self.errors:
            return None
        return self.total_of(self.filterset.qs)


def figure_drilldown(user, data):
    """The ``FigureDrillDown`` of the query parameters ``data`` for ``user``."""
    hidden = [(name, data.get(name)) for name in PARAMETERS if data.get(name)]
    form = FigureDrillDownForm(data, user=user)
    if not form.is_valid():
        errors = [str(error) for errors in form.errors.values() for error in errors]
        return FigureDrillDown(errors=errors or [_("This link to a figure is not valid.")], hidden_fields=hidden)
    cleaned = form.cleaned_data
    scope = ReportScope(
        period=cleaned["period"],
        view=cleaned["view"],
        as_of=cleaned["as_of"],
        partner=cleaned.get("partner"),
        programme=cleaned.get("programme"),
        convention=cleaned.get("convention"),
        funder=cleaned.get("funder") or "",
    )
    definition = get(cleaned["figure"])
    sources = report_sources_for_user(user, scope)
    narrowing = get_family(definition.family).drill_down(
        definition, cleaned["part"], sources=sources, context=scope.context, row=cleaned.get("row") or None
    )
    return FigureDrillDown(
        definition=definition,
        part=cleaned["part"],
        scope=scope,
        row=cleaned.get("row") or "",
        per_duo=narrowing.per_duo,
        unit=narrowing.unit,
        hidden_fields=hidden,
        _apply=narrowing.apply,
    )
