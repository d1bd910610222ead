"""Links from a figure to the duos behind it: the workspace's duo list with
``figure=<key>&part=numerator|denominator`` and the period, view and scope
(``reporting.drilldown`` reads them back with the same validation and the
same registry entry, so the list counts what the figure counts)."""

from urllib.parse import urlencode

from django.urls import NoReverseMatch, reverse

from .figures import NOT_SPLIT, get
from .figures.registry import DENOMINATOR, FUNDING, NUMERATOR


def duo_list_url():
    try:
        return reverse("duos:duo_list")
    except NoReverseMatch:
        return "/duos/"


def scope_params(scope, *, partner=None, funder=""):
    """The query parameters of ``scope``'s period, view and narrowing."""
    period = scope.period
    params = {"date_from": period.date_from.isoformat(), "date_to": period.date_to.isoformat()}
    if scope.context.is_cohort:
        params.update(view=scope.view, as_of=scope.context.as_of.isoformat())
    partner = partner if partner is not None else scope.partner
    if partner is not None:
        params["partner"] = partner.pk
    if scope.programme is not None:
        params["programme"] = scope.programme.pk
    if scope.convention is not None:
        params["convention"] = scope.convention.pk
    if funder:
        params["funder"] = funder
    return params


def figure_link(key, part, *, scope, partner=None, row=None, funder="", extra=None):
    """The duo list narrowed to ``part`` (numerator or denominator) of figure
    ``key`` in ``scope`` (for ``partner``'s row, or ``row=NOT_SPLIT``);
    ``None`` when that part counts no duos (money, targets, a count's
    denominator)."""
    definition = get(key)
    if part not in (NUMERATOR, DENOMINATOR) or not definition.links(part):
        return None
    params = {"figure": key, "part": part}
    params.update(scope_params(scope, partner=partner, funder=funder if definition.family == FUNDING else ""))
    if row == NOT_SPLIT:
        params["row"] = NOT_SPLIT
    params.update(extra or {})
    return duo_list_url() + "?" + urlencode(params)


def figure_links(key, *, scope, partner=None, row=None, funder=""):
    """``(numerator link, denominator link)`` of figure ``key``."""
    return tuple(
        figure_link(key, part, scope=scope, partner=partner, row=row, funder=funder)
        for part in (NUMERATOR, DENOMINATOR)
    )


def outcome_link(outcome_type, *, scope, contract="", partner=None):
    """The closed duos of ``scope`` with this primary outcome (and contract type)."""
    extra = {"outcome": outcome_type or "missing"}
    if contract:
        extra["contract"] = contract
    return figure_link("duos_closed", NUMERATOR, scope=scope, partner=partner, extra=extra)
