"""Session rules that apply to every signed-in request."""

import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.utils.translation import gettext as _

LAST_ACTIVITY_SESSION_KEY = "last_activity"
# Writing the time on every request would save the session on every request;
# once a minute is precise enough for a 30-minute limit.
ACTIVITY_RESOLUTION_SECONDS = 60


def session_touch(session, *, now=None):
    """Record ``now`` (epoch seconds) as the session's last activity."""
    session[LAST_ACTIVITY_SESSION_KEY] = int(now if now is not None else time.time())


class SessionIdleTimeoutMiddleware:
    """Signs the user out after ``SESSION_IDLE_TIMEOUT_MINUTES`` without a request
    and sends them to the login page, which brings them back where they were."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            now = int(time.time())
            last = request.session.get(LAST_ACTIVITY_SESSION_KEY)
            if last is not None and now - last > settings.SESSION_IDLE_TIMEOUT_MINUTES * 60:
                logout(request)
                messages.info(request, _("You were signed out after a period without activity. Please log in again."))
                return redirect_to_login(request.get_full_path())
            if last is None or now - last >= ACTIVITY_RESOLUTION_SECONDS:
                session_touch(request.session, now=now)
        return self.get_response(request)


class SecondFactorRequiredMiddleware:
    """Sends a signed-in user who must use a second factor
    (``programmes.permissions.second_factor_required``) and has not given it in
    this session to the second-factor step, keeping where they were going.
    Must come after django-otp's ``OTPMiddleware``."""

    # What an unverified session may still reach.
    EXEMPT = {
        "accounts:two_factor_verify",
        "accounts:two_factor_setup",
        "login",
        "logout",
        "set_language",
        "admin:login",
        "admin:logout",
    }

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        from django.shortcuts import redirect
        from django.urls import Resolver404, resolve, reverse
        from django.utils.http import urlencode

        from accounts.two_factor import ENROLLED_SESSION_KEY
        from programmes.permissions import second_factor_required

        user = request.user
        if (
            user.is_authenticated
            and not user.is_verified()
            and second_factor_required(user, enrolled=request.session.get(ENROLLED_SESSION_KEY, False))
        ):
            try:
                match = resolve(request.path_info)
                name = f"{match.namespace}:{match.url_name}" if match.namespace else match.url_name
            except Resolver404:
                name = None
            if name not in self.EXEMPT:
                return redirect(
                    f"{reverse('accounts:two_factor_verify')}?{urlencode({'next': request.get_full_path()})}"
                )
        return self.get_response(request)
