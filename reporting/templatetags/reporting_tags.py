"""Showing figures in the user's locale: the value in its unit,
"numerator / denominator" with links to the duos each counts."""

from decimal import Decimal
from urllib.parse import urlencode

from django import template
from django.utils.formats import number_format
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from reporting.figures import ALL_FUNDERS, Unit

register = template.Library()


def _number(value, decimals=None):
    if value is None:
        return ""
    if isinstance(value, Decimal) and decimals is None:
        decimals = max(-value.as_tuple().exponent, 0)
    return number_format(value, decimal_pos=decimals, use_l10n=True, force_grouping=True)


@register.filter
def figure_number(value):
    """A number in the user's locale, with thousands grouped (``1 234,5`` in French)."""
    return _number(value)


def _dash(reason):
    """A dash, with its reason for screen readers (the table caption says it
    for everyone; no title tooltip, which only a mouse reaches)."""
    return format_html('<span aria-hidden="true">—</span><span class="visually-hidden">{}</span>', reason)


@register.simple_tag
def figure_value(figure):
    """``50.7 %``, ``1,299.50 EUR``, ``171``; a dash with an explanation when
    there is no denominator, or when the figure does not apply (``None``)."""
    if figure is None:
        return _dash(_("Does not apply here"))
    if figure.value is None:
        return _dash(_("No denominator: nothing to divide by"))
    if figure.unit == Unit.PERCENT:
        return format_html("{}&nbsp;%", _number(figure.value, 1))
    if figure.unit == Unit.EUR:
        return format_html("{}&nbsp;EUR", _number(figure.value, 2))
    if figure.unit == Unit.DAYS:
        return format_html("{}&nbsp;{}", _number(figure.value, 1), _("days"))
    return _number(figure.value, 0)


@register.simple_tag
def figure_ratio(figure):
    """``77 / 152`` for a rate; ``median of 12 mentees`` for a median; empty for a count."""
    if figure is None or figure.unit == Unit.COUNT:
        return ""
    if figure.unit == Unit.DAYS:
        return _median_of(figure.denominator)
    if figure.value is None and not figure.numerator:
        return ""
    denominator = "—" if figure.value is None else _number(figure.denominator)
    return f"{_number(figure.numerator)} / {denominator}"


def _median_of(count):
    """``median of 12 mentees``: what a median in days is taken over."""
    count = count or 0
    return ngettext("median of %(count)s mentee", "median of %(count)s mentees", count) % {"count": _number(count)}


def _linked(text, url):
    if not url:
        return format_html("{}", text)
    return format_html('<a href="{}">{}</a>', url, text)


@register.simple_tag
def figure_parts(cell):
    """``77 / 152`` with each side a link to the duos it counts (``cell``:
    ``{"figure", "numerator_url", "denominator_url"}``); money and targets stay
    plain text."""
    figure = cell.get("figure")
    if figure is None or figure.unit == Unit.COUNT:
        return ""
    if figure.unit == Unit.DAYS:
        return _linked(_median_of(figure.denominator), cell.get("denominator_url")) if figure.denominator else ""
    if figure.value is None and not figure.numerator:
        return ""
    numerator = _linked(_number(figure.numerator), cell.get("numerator_url"))
    denominator = (
        "—"
        if figure.value is None and not figure.denominator
        else _linked(_number(figure.denominator), cell.get("denominator_url"))
    )
    return format_html("{} / {}", numerator, denominator)


@register.simple_tag
def figure_change(current, previous):
    """The change against the previous period: ``+12``, ``−3.4 pts``."""
    if current is None or previous is None or current.value is None or previous.value is None:
        return ""
    delta = current.value - previous.value
    if current.unit == Unit.PERCENT:
        text = _("%(sign)s%(delta)s pts") % {"sign": "+" if delta > 0 else "", "delta": _number(delta, 1)}
    elif current.unit == Unit.EUR:
        text = _("%(sign)s%(delta)s EUR") % {"sign": "+" if delta > 0 else "", "delta": _number(delta, 2)}
    elif current.unit == Unit.DAYS:
        text = _("%(sign)s%(delta)s days") % {"sign": "+" if delta > 0 else "", "delta": _number(delta, 1)}
    else:
        text = ("+" if delta > 0 else "") + _number(delta, 0)
    return text


@register.simple_tag
def money_of(funder):
    """Whose money the budget figures count."""
    if funder == ALL_FUNDERS:
        return _("Money of all funders, added together")
    if not funder:
        return _("No funding convention in scope")
    return _("Money of %(funder)s") % {"funder": funder}


@register.simple_tag
def funder_label(funder):
    """The funder whose money the budget figures count, for a "Money of" label."""
    if funder == ALL_FUNDERS:
        return _("All funders, added together")
    if not funder:
        return _("No funding convention in scope")
    return funder


@register.simple_tag
def report_request_query(scope, funder=""):
    """The query string that opens the report form on the dashboard's period, view and funder."""
    params = {}
    if scope.period.quarter_label:
        params["quarter"] = scope.period.quarter_label
    else:
        params.update(date_from=scope.period.date_from.isoformat(), date_to=scope.period.date_to.isoformat())
    if scope.context.is_cohort:
        params.update(view=scope.view, as_of=scope.context.as_of.isoformat())
    if scope.funder:
        params["funder"] = funder
    return urlencode(params)
