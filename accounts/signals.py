"""Receivers for Django's authentication signals."""

from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver

from accounts.middleware import session_touch


@receiver(user_logged_in, dispatch_uid="accounts_session_touch_on_login")
def session_start_idle_clock(sender, request, user, **kwargs):
    """A new session starts its idle clock at sign-in."""
    if request is not None and hasattr(request, "session"):
        session_touch(request.session)
