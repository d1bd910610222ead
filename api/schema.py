"""How the OpenAPI schema (drf-spectacular) describes what it cannot guess:
the two ways to authenticate, and the names of the shared choice sets.
Imported by ``ApiConfig.ready``."""

from drf_spectacular.authentication import SessionScheme
from drf_spectacular.contrib.knox_auth_token import KnoxTokenScheme


class ApiTokenScheme(KnoxTokenScheme):
    """``Authorization: Token mtk_...``: a personal token (api.authentication)."""

    target_class = "api.authentication.ApiTokenAuthentication"
    name = "tokenAuth"


class VerifiedSessionScheme(SessionScheme):
    """The signed-in browser session (the docs' "Try it out", the browsable API)."""

    target_class = "api.authentication.VerifiedSessionAuthentication"
    name = "cookieAuth"
