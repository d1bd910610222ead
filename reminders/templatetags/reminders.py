"""``{% reminder_preference_section %}``: the reminder settings on the
user's own page (``accounts/profile.html``), self-contained."""

import datetime

from django import template
from django.conf import settings

from ..digests import digest_kind_of
from ..forms import DigestPreferenceForm
from ..services import preference_of

register = template.Library()


@register.inclusion_tag("reminders/partials/preference_section.html", takes_context=True)
def reminder_preference_section(context):
    request = context["request"]
    user = request.user
    frequency, language = preference_of(user)
    return {
        "request": request,
        "csrf_token": context.get("csrf_token"),
        "form": DigestPreferenceForm(initial={"frequency": frequency, "language": language}),
        "kind": digest_kind_of(user),
        "has_email": bool(user.email),
        "digest_hour": settings.REMINDER_DIGEST_HOUR,
        # A day of that weekday, so that the date filter names it in the reader's language.
        "weekly_day": datetime.date(2024, 1, settings.REMINDER_WEEKLY_DAY),  # 1 January 2024 was a Monday
    }
