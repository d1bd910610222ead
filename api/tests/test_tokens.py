"""Personal API tokens: made, named and revoked on the profile page, shown
once, stored hashed, acting exactly as their owner; the browsable API does
not let a session skip the second factor."""

import hashlib
import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from api.models import ApiToken
from api.services import MAX_TOKENS_PER_USER, api_token_create
from tests.factories import PASSWORD

from .conftest import token_client, token_for

PROFILE = reverse("accounts:profile")
CREATE = reverse("api_tokens:create")
REVOKE = reverse("api_tokens:revoke")
DUOS = reverse("api:duo-list")


def make_token(client, name="Our CRM", lifetime="90"):
    response = client.post(CREATE, {"name": name, "lifetime_days": lifetime})
    match = re.search(r'value="(mtk_[0-9a-f]{64})"', response.content.decode())
    return response, match.group(1) if match else None


def test_a_coordinator_makes_a_token_sees_it_once_and_uses_it(client, world, coordinator_a):
    client.force_login(coordinator_a)
    assert "API tokens" in client.get(PROFILE).content.decode()
    response, secret = make_token(client)
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    assert secret is not None
    token = ApiToken.objects.get(user=coordinator_a)
    assert token.name == "Our CRM"
    assert timedelta(days=89) < token.expiry - timezone.now() <= timedelta(days=90)
    # Stored hashed: the digest, and the first characters to find the row; never the token.
    assert token.digest == hashlib.sha512(secret.encode()).hexdigest()
    assert secret.startswith(token.token_key) and len(token.token_key) < len(secret) // 4
    assert not ApiToken.objects.filter(digest=secret).exists()
    # The profile page lists it by name and first characters, never the whole token.
    profile = client.get(PROFILE).content.decode()
    assert "Our CRM" in profile and token.token_key in profile and secret not in profile

    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {secret}")
    response = api.get(DUOS)
    assert response.status_code == 200
    assert {row["partner"] for row in response.json()["results"]} == {world.partner_a.pk}
    token.refresh_from_db()
    assert token.last_used_at is not None


def test_form_errors_come_back_on_the_profile_page(client, coordinator_a):
    client.force_login(coordinator_a)
    response, secret = make_token(client, name="   ")
    assert secret is None
    assert response.status_code == 200
    assert "This field is required." in response.content.decode()
    make_token(client, name="CRM")
    response, secret = make_token(client, name="crm")
    assert secret is None and "already have a token with this name" in response.content.decode()
    assert ApiToken.objects.filter(user=coordinator_a).count() == 1


def test_at_most_so_many_tokens(coordinator_a):
    for number in range(MAX_TOKENS_PER_USER):
        api_token_create(user=coordinator_a, name=f"system {number}")
    with pytest.raises(Exception, match="revoke one first"):
        api_token_create(user=coordinator_a, name="one more")


def test_revoking_a_token_closes_the_api_to_it(client, coordinator_a):
    client.force_login(coordinator_a)
    _response, secret = make_token(client)
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {secret}")
    assert api.get(DUOS).status_code == 200
    digest = ApiToken.objects.get(user=coordinator_a).digest
    response = client.post(REVOKE, {"digest": digest})
    assert response.status_code == 302
    assert response.url == PROFILE + "#api-tokens"
    assert not ApiToken.objects.exists()
    assert api.get(DUOS).status_code == 401


def test_another_users_token_cannot_be_revoked(client, coordinator_a, coordinator_b):
    token_for(coordinator_b)
    client.force_login(coordinator_a)
    response = client.post(REVOKE, {"digest": ApiToken.objects.get().digest})
    assert response.status_code == 404
    assert ApiToken.objects.count() == 1


def test_the_data_protection_officer_has_no_token_section(client, dpo_user):
    client.force_login(dpo_user)
    assert "API tokens" not in client.get(PROFILE).content.decode()
    assert client.post(CREATE, {"name": "x", "lifetime_days": "30"}).status_code == 403
    assert not ApiToken.objects.exists()


def test_expired_token_and_inactive_owner_are_refused(coordinator_a):
    expired, secret = ApiToken.objects.create(coordinator_a, expiry=timedelta(days=1), name="old")
    ApiToken.objects.filter(pk=expired.pk).update(expiry=timezone.now() - timedelta(minutes=1))
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {secret}")
    assert api.get(DUOS).status_code == 401
    client = token_client(coordinator_a)
    assert client.get(DUOS).status_code == 200
    coordinator_a.is_active = False
    coordinator_a.save()
    assert client.get(DUOS).status_code == 401


def test_a_token_follows_its_owners_role(world, coordinator_a):
    """Scoped exactly like its owner, now: a coordinator moved to partner B
    reads B's records, not A's, with the same token."""
    client = token_client(coordinator_a)
    assert client.get(reverse("api:duo-detail", args=[world.duo_a.pk])).status_code == 200
    coordinator_a.membership.partner = world.partner_b
    coordinator_a.membership.save()
    assert client.get(reverse("api:duo-detail", args=[world.duo_a.pk])).status_code == 404
    assert client.get(reverse("api:duo-detail", args=[world.duo_b.pk])).status_code == 200


def password_login(client, username):
    response = client.post(reverse("login"), {"username": username, "password": PASSWORD})
    assert response.status_code == 302
    return response


class TestSecondFactor:
    """A session that did not pass the second factor opens neither the
    browsable API nor the token page; a token cannot be made with one."""

    def test_unverified_session_is_sent_to_the_second_step(self, client, world, staff_user):
        password_login(client, "staff")
        response = client.get(DUOS)
        assert response.status_code == 302
        assert response.url.startswith(reverse("accounts:two_factor_verify"))
        response = client.post(CREATE, {"name": "sneaky", "lifetime_days": "30"})
        assert response.status_code == 302
        assert not ApiToken.objects.exists()

    def test_the_api_refuses_it_even_without_the_middleware(self, client, settings, world, staff_user):
        settings.MIDDLEWARE = [
            m for m in settings.MIDDLEWARE if m != "accounts.middleware.SecondFactorRequiredMiddleware"
        ]
        password_login(client, "staff")
        response = client.get(DUOS, HTTP_ACCEPT="application/json")
        assert response.status_code == 401
        assert response.json() == {"detail": "Sign in with your second factor first."}

    def test_a_verified_session_reads(self, client, world, staff_user):
        client.force_login(staff_user)  # passes the second factor (tests/two_factor.py)
        assert client.get(DUOS, HTTP_ACCEPT="application/json").status_code == 200

    def test_a_coordinator_without_second_factor_uses_the_browsable_api(self, client, world, coordinator_a):
        password_login(client, "coord-a")
        response = client.get(DUOS, HTTP_ACCEPT="text/html")
        assert response.status_code == 200
        assert response["Content-Type"].startswith("text/html")
        assert world.duo_a.mentee.jobseeker_number not in response.content.decode()  # ids only in a duo
