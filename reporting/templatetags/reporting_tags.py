"""Showing figures: the value in its unit, and "numerator / denominator"."""

from decimal import Decimal

from django import template
from django.utils.formats import number_format
from django.utils.html import format_html
from django.utils.translation import gettext as _

from reporting.figures import Unit

register = template.Library()


def _number(value, decimals=None):
    if value is None:
        return ""
    if isinstance(value, Decimal) and decimals is None:
        decimals = max(-value.as_tuple().exponent, 0)
    return number_format(value, decimal_pos=decimals, use_l10n=True, force_grouping=True)


@register.simple_tag
def figure_value(figure):
    """``50.7 %``, ``1,299.50 EUR``, ``171``; a dash with an explanation when
    there is no denominator."""
    if figure is None:
        return ""
    if figure.value is None:
        return format_html('<span title="{}">—</span>', _("No denominator: nothing to divide by"))
    if figure.unit == Unit.PERCENT:
        return format_html("{}&nbsp;%", _number(figure.value, 1))
    if figure.unit == Unit.EUR:
        return format_html("{}&nbsp;EUR", _number(figure.value, 2))
    return _number(figure.value, 0)


@register.simple_tag
def figure_ratio(figure):
    """``77 / 152`` for a rate; empty for a count."""
    if figure is None or figure.unit == Unit.COUNT:
        return ""
    if figure.value is None and not figure.numerator:
        return ""
    denominator = "—" if figure.value is None else _number(figure.denominator)
    return f"{_number(figure.numerator)} / {denominator}"


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
    else:
        text = ("+" if delta > 0 else "") + _number(delta, 0)
    return text
