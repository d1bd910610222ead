"""Rate limits: per token (two tokens do not share a budget), and wrong
tokens per client address (so tokens cannot be guessed at speed)."""

from django.urls import reverse
from rest_framework.test import APIClient

from .conftest import token_client

DUOS = reverse("api:duo-list")


def test_each_token_has_its_own_budget(settings, coordinator_a):
    settings.API_RATE_PER_TOKEN = "3/minute"
    first, second = token_client(coordinator_a), token_client(coordinator_a)
    assert [first.get(DUOS).status_code for _ in range(4)] == [200, 200, 200, 429]
    assert second.get(DUOS).status_code == 200
    response = first.get(DUOS)
    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0


def test_wrong_tokens_are_limited_per_address(settings, coordinator_a):
    settings.API_RATE_INVALID_TOKEN = "2/minute"
    guesser = APIClient(REMOTE_ADDR="203.0.113.7")
    guesser.credentials(HTTP_AUTHORIZATION="Token mtk_" + "0" * 64)
    assert [guesser.get(DUOS).status_code for _ in range(3)] == [401, 401, 429]
    # Even a right token is not checked from that address until the wait is over...
    right = token_client(coordinator_a)
    right.defaults["REMOTE_ADDR"] = "203.0.113.7"
    assert right.get(DUOS).status_code == 429
    # ...while other addresses are not affected.
    assert token_client(coordinator_a).get(DUOS).status_code == 200
