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
