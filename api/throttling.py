"""Rate limits of the API (DRF throttles, counted in the cache).

``PerTokenRateThrottle`` counts each personal token on its own (two tokens of
one person, used by two systems, do not share a budget) and a signed-in
session per user; rate ``API_RATE_PER_TOKEN``.

DRF runs throttles after authentication and permissions, so a request with a
wrong token never reaches them: ``InvalidTokenThrottle`` counts wrong tokens
per client address (the one ``accounts.client_ip`` reads through the trusted
proxies) from inside the token check, and once ``API_RATE_INVALID_TOKEN`` is
spent that address gets 429 before any token is checked, so tokens cannot be
guessed at speed.
"""

from django.conf import settings
from rest_framework.exceptions import Throttled
from rest_framework.throttling import SimpleRateThrottle

from accounts.client_ip import client_ip_address


class PerTokenRateThrottle(SimpleRateThrottle):
    scope = "api_token"

    def get_rate(self):
        return settings.API_RATE_PER_TOKEN

    def get_cache_key(self, request, view):
        from .models import ApiToken

        if isinstance(request.auth, ApiToken):
            ident = f"token-{request.auth.pk}"
        elif request.user and request.user.is_authenticated:
            ident = f"user-{request.user.pk}"
        else:
            return None  # refused by the permissions before throttling anyway
        return self.cache_format % {"scope": self.scope, "ident": ident}


class InvalidTokenThrottle(SimpleRateThrottle):
    """Wrong tokens per client address. Not in ``DEFAULT_THROTTLE_CLASSES``:
    ``api.authentication.ApiTokenAuthentication`` calls ``check`` before it
    looks a token up and ``record_failure`` after a wrong one."""

    scope = "api_invalid_token"

    def get_rate(self):
        return settings.API_RATE_INVALID_TOKEN

    def get_cache_key(self, request, view):
        return self.cache_format % {"scope": self.scope, "ident": client_ip_address(request) or "unknown"}

    def check(self, request):
        """Raise ``Throttled`` (429) when this address spent its wrong tokens."""
        self.key = self.get_cache_key(request, None)
        self.history = self.cache.get(self.key, [])
        self.now = self.timer()
        while self.history and self.history[-1] <= self.now - self.duration:
            self.history.pop()
        if len(self.history) >= self.num_requests:
            raise Throttled(wait=self.wait())

    def record_failure(self, request):
        self.check(request)
        self.throttle_success()
