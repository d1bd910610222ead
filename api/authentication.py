"""How a request to the API says who it is.

Two ways, tried in this order:

- ``ApiTokenAuthentication``: ``Authorization: Token mtk_...``, a personal
  token made on the profile page (django-rest-knox: the digest is looked up,
  the owner must be active, an expired token is deleted and refused). The
  request then acts as the token's owner, with the owner's role and partner.
- ``VerifiedSessionAuthentication``: the browser session of a signed-in user,
  for the browsable API and the docs, with DRF's CSRF check on writes. A user
  who must sign in with a second factor and whose session has not passed it is
  refused here, whatever order the middleware runs in.

A token is a credential of its own: it is made only from a session that
passed the second factor (the profile page is behind
``accounts.middleware.SecondFactorRequiredMiddleware``), so it does not bypass it.
"""

from django.utils.translation import gettext_lazy as _
from knox.auth import TokenAuthentication
from rest_framework import exceptions
from rest_framework.authentication import SessionAuthentication, get_authorization_header

from accounts.two_factor import ENROLLED_SESSION_KEY
from programmes.permissions import second_factor_required

from .services import api_token_touch
from .throttling import InvalidTokenThrottle


class ApiTokenAuthentication(TokenAuthentication):
    """knox's token check, limited per client address for wrong tokens
    (``InvalidTokenThrottle``), plus the token's "last used" time (for its
    owner's list of tokens)."""

    def authenticate(self, request):
        if not get_authorization_header(request).lower().startswith(self.authenticate_header(request).lower().encode()):
            return None  # no token: the session may still authenticate
        throttle = InvalidTokenThrottle()
        throttle.check(request)
        try:
            result = super().authenticate(request)
        except exceptions.AuthenticationFailed:
            throttle.record_failure(request)
            raise
        if result is not None:
            api_token_touch(result[1])
        return result


class VerifiedSessionAuthentication(SessionAuthentication):
    """DRF's session authentication for users whose session passed the second
    factor when they need one (``programmes.permissions.second_factor_required``)."""

    def authenticate(self, request):
        result = super().authenticate(request)
        if result is None:
            return None
        user = result[0]
        django_request = request._request
        enrolled = django_request.session.get(ENROLLED_SESSION_KEY, False)
        verified = getattr(user, "is_verified", lambda: False)()
        if not verified and second_factor_required(user, enrolled=enrolled):
            raise exceptions.AuthenticationFailed(_("Sign in with your second factor first."))
        return result
