"""The profile page's "API tokens" section (``{% api_token_section %}``),
self-contained: it reads the user's tokens itself."""

from django import template

from ..forms import ApiTokenForm
from ..models import ApiToken
from ..services import can_use_api

register = template.Library()


@register.inclusion_tag("api/partials/token_section_body.html", takes_context=True)
def api_token_section(context):
    """The signed-in user's tokens (one query), the form to make one (with its
    errors after a failed attempt: ``api_token_form``), or nothing for a user
    who has no use for the API."""
    user = context["request"].user
    allowed = can_use_api(user)
    return {
        "allowed": allowed,
        "tokens": list(ApiToken.objects.filter(user=user)) if allowed else [],
        "form": context.get("api_token_form") or ApiTokenForm(),
        "csrf_token": context.get("csrf_token"),
    }
