"""The figures of a period, as the dashboard shows them: every figure of the
registry (``reporting.figures``) with its numerator, denominator, value,
definition and the link to the duos behind each part.

The period is validated like the dashboard's (``reporting.periods``); the
partner, programme and convention are looked up among those the user may
see, so another partner's id answers 404, as everywhere in the API. The
figures are read like the dashboard's (``reporting_reads``: the read replica
when there is one).
"""

from decimal import Decimal

from django import forms
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from mentoring.database_routing import reporting_reads
from mentoring.params import is_id
from programmes.models import FundingConvention, Partner, Programme
from programmes.permissions import has_role
from reporting.figures import ALL_FUNDERS, REGISTRY, FigureView, Period, Rounding
from reporting.figures.registry import DENOMINATOR, NUMERATOR
from reporting.forms import funder_choices
from reporting.links import figure_link
from reporting.periods import PeriodForm
from reporting.selectors import ReportScope, figure_set_for, report_sources_for_user


class FiguresQueryForm(PeriodForm):
    """The query parameters: a period (``quarter`` or ``date_from`` and
    ``date_to``), its ``view`` and ``as_of``, whose money (``funder``) and
    how rates are rounded. The partner, programme and convention are
    resolved apart (404 when the user may not see them)."""

    period_required = False  # without one: the last complete quarter

    funder = forms.CharField(required=False)
    rounding = forms.ChoiceField(choices=Rounding.choices, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["quarter"] = forms.CharField(required=False)


def _visible(model, user, params, name):
    """The ``model`` row whose id is the query parameter ``name`` and that
    ``user`` may see, ``None`` without the parameter; a 400 naming the
    parameter for a value that is no id (``-1``, ``²``); 404 for an id of a
    row they may not see (or none)."""
    value = params.get(name)
    if value in (None, ""):
        return None
    if not is_id(value):
        raise ValidationError({name: [_("An id is a whole number.")]})
    return get_object_or_404(model.objects.visible_to(user), pk=int(value))


def _number(value):
    """A count stays an integer; a decimal (a rate, money, a pro-rata
    target) is a string, as every decimal of the API."""
    return str(value) if isinstance(value, Decimal) else value


def _parts(figure):
    """``{"numerator", "denominator", "value"}`` of ``figure`` (all ``None``
    where the figure does not apply)."""
    if figure is None:
        return {"numerator": None, "denominator": None, "value": None}
    return {part: _number(value) for part, value in figure.as_dict().items()}


PARAMETERS = [
    OpenApiParameter(
        "quarter",
        OpenApiTypes.STR,
        description="A quarter, e.g. 2019Q2 (or the two dates; neither: the last complete quarter).",
    ),
    OpenApiParameter("date_from", OpenApiTypes.DATE, description="First day of the period (wins over quarter)."),
    OpenApiParameter("date_to", OpenApiTypes.DATE, description="Last day of the period."),
    OpenApiParameter("view", OpenApiTypes.STR, enum=["closed", "cohort"], description="How the period is counted."),
    OpenApiParameter("as_of", OpenApiTypes.DATE, description="Cohort: outcomes as of this day."),
    OpenApiParameter("partner", OpenApiTypes.INT, description="Only this partner's duos (one you may see)."),
    OpenApiParameter("programme", OpenApiTypes.INT, description="Only this programme's duos."),
    OpenApiParameter("convention", OpenApiTypes.INT, description="Only the duos of this funding convention."),
    OpenApiParameter("funder", OpenApiTypes.STR, description="Whose money the budget figures count; * for all."),
    OpenApiParameter("rounding", OpenApiTypes.STR, enum=list(Rounding.values), description="half-up or truncate."),
]


def NUMBER():  # noqa: N802  (a field factory, read like a type)
    return serializers.JSONField(allow_null=True, help_text="An integer (a count) or a decimal as a string.")


RESPONSE = inline_serializer(
    "Figures",
    {
        "period": serializers.DictField(),
        "view": serializers.CharField(),
        "as_of": serializers.DateField(allow_null=True),
        "rounding": serializers.CharField(),
        "funder": serializers.CharField(allow_null=True),
        "partner": serializers.IntegerField(allow_null=True),
        "figures": inline_serializer(
            "Figure",
            {
                "key": serializers.CharField(),
                "label": serializers.CharField(),
                "unit": serializers.CharField(),
                "group": serializers.CharField(),
                "version": serializers.CharField(),
                "numerator": NUMBER(),
                "denominator": NUMBER(),
                "value": NUMBER(),
                "definition": serializers.DictField(),
                "numerator_url": serializers.URLField(allow_null=True),
                "denominator_url": serializers.URLField(allow_null=True),
            },
            many=True,
        ),
        "partners": serializers.ListField(child=serializers.DictField()),
    },
)


class FiguresView(APIView):
    """Every figure of a period over the duos you may see (a coordinator: their
    partner's), in total and per partner: numerator, denominator, value, the
    definition (its texts and version) and the links to the duo list narrowed
    to each part (``null`` for a part that counts no duos: money, targets, a
    count's denominator). Without a period: the last complete quarter. A
    wrong period: 400 saying what is wrong; a partner, programme or
    convention you may not see: 404."""

    @extend_schema(parameters=PARAMETERS, responses=RESPONSE)
    def get(self, request):
        user = request.user
        if not has_role(user):  # the data-protection officer: no partner figures, as on the dashboard
            raise PermissionDenied
        form = FiguresQueryForm(request.query_params)
        if not form.is_valid():
            raise ValidationError({field: [str(e) for e in errors] for field, errors in form.errors.items()})
        cleaned = form.cleaned_data
        if cleaned["period"] is None:
            cleaned.update(
                period=Period.quarter_of(timezone.localdate()).previous(), view=FigureView.CLOSED, as_of=None
            )
        with reporting_reads():
            partner = _visible(Partner, user, request.query_params, "partner")
            programme = _visible(Programme, user, request.query_params, "programme")
            convention = _visible(FundingConvention, user, request.query_params, "convention")
            funder = cleaned.get("funder") or ""
            if funder and funder != ALL_FUNDERS:
                choices, _default = funder_choices(user)
                if funder not in {value for value, _label in choices}:
                    raise ValidationError({"funder": [_("No funding convention you may see has this funder.")]})
            scope = ReportScope(
                period=cleaned["period"],
                view=cleaned["view"],
                as_of=cleaned["as_of"],
                partner=partner,
                programme=programme,
                convention=convention,
                funder=funder,
                rounding=cleaned.get("rounding") or Rounding.HALF_UP,
            )
            sources = report_sources_for_user(user, scope)
            figures = figure_set_for(sources, scope)
            return Response(self.payload(request, scope, sources, figures))

    @staticmethod
    def payload(request, scope, sources, figures):
        def link(key, part):
            url = figure_link(key, part, scope=scope, funder=sources.funder)
            return request.build_absolute_uri(url) if url else None

        described = []
        for key in figures.keys:
            definition = REGISTRY[key]
            described.append(
                {
                    "key": key,
                    "label": str(definition.label),
                    "unit": str(definition.unit),
                    "group": definition.group,
                    "version": definition.version,
                    **_parts(figures.total.get(key)),
                    "definition": {
                        "numerator": str(definition.numerator_text),
                        "denominator": None if definition.is_count else str(definition.denominator_text),
                        "choices": [str(choice) for choice in definition.choices],
                        "shown_beside": list(definition.quality),
                    },
                    "numerator_url": link(key, NUMERATOR),
                    "denominator_url": link(key, DENOMINATOR),
                }
            )
        context = scope.context
        return {
            "period": context.period.as_dict(),
            "view": str(context.view),
            "as_of": context.as_of.isoformat() if context.is_cohort else None,
            "rounding": str(figures.rounding),
            "funder": sources.funder or None,
            "partner": scope.partner.pk if scope.partner else None,
            "figures": described,
            "partners": [
                {
                    "partner": partner.pk,
                    "slug": partner.slug,
                    "name": partner.name,
                    "figures": {key: _parts(row.get(key)) for key in figures.keys},
                }
                for partner, row in figures.partners
            ],
        }
