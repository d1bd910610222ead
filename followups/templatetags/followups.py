"""``{% duo_follow_ups %}``: the duo page's follow-up section, computed here
so that the duo views need not know about follow-ups."""

from django import template

from ..views import follow_ups_context

register = template.Library()


@register.inclusion_tag("followups/partials/duo_follow_ups.html", takes_context=True)
def duo_follow_ups(context, duo):
    """The follow-ups of ``duo`` (closed duos only; nothing for an active one)."""
    return {**follow_ups_context(context["request"], duo), "request": context["request"]}
