"""Receivers for Django's authentication signals."""

from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver

from accounts.middleware import session_touch


@receiver(user_logged_in, dispatch_uid="accounts_session_start")
def session_start(sender, request, user, **kwargs):
    """A new session starts its idle clock, and notes whether the user enrolled
    a second factor (a coordinator who did is asked for it like staff)."""
    from accounts.two_factor import ENROLLED_SESSION_KEY, has_second_factor

    if request is not None and hasattr(request, "session"):
        session_touch(request.session)
        request.session[ENROLLED_SESSION_KEY] = has_second_factor(user)
