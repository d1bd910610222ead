import pytest
from rest_framework.test import APIClient

from api.models import ApiToken
from programmes.tests.world import build_world, use_fast_password_hasher


@pytest.fixture
def world(partner_a, partner_b):
    """Two partners with one of everything each (``programmes.tests.world``),
    with names for the primary outcome of each closed duo (``outcome_a``...)."""
    world = build_world(partner_a, partner_b)
    for suffix in ("a", "b"):
        closed = getattr(world, f"closed_duo_{suffix}")
        setattr(world, f"outcome_{suffix}", closed.outcomes.get(is_primary=True))
    return world


@pytest.fixture(autouse=True)
def _fast_password_hasher(settings):
    use_fast_password_hasher(settings)


def token_for(user, name="test system"):
    """A new personal token of ``user``: the string a client sends. Made
    directly (not through ``api_token_create``) for users who cannot make one,
    such as a coordinator who later became the data-protection officer: the
    token still acts only as its owner is now."""
    return ApiToken.objects.create(user, expiry=None, name=name)[1]


def token_client(user):
    """An API client that sends ``user``'s personal token, and no session."""
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token_for(user)}")
    return client


@pytest.fixture
def api_client_a(coordinator_a):
    return token_client(coordinator_a)


@pytest.fixture
def api_client_b(coordinator_b):
    return token_client(coordinator_b)
