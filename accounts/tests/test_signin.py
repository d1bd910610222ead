"""Sign-in hardening: username length, throttling behind a proxy, idle
sessions, password reset, password length by role."""

import time

import pytest
from axes.models import AccessAttempt
from django.contrib.auth.password_validation import validate_password
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.client_ip import client_ip_address
from accounts.middleware import LAST_ACTIVITY_SESSION_KEY
from programmes.tests.world import use_fast_password_hasher
from tests.factories import PASSWORD, UserFactory

PROXY = "10.0.0.2"


@pytest.fixture(autouse=True)
def _fast_password_hasher(settings):
    use_fast_password_hasher(settings)


class TestUsernameLength:
    def test_256_character_username_is_a_form_error(self, client, db):
        response = client.post(reverse("login"), {"username": "u" * 256, "password": "whatever-it-is"})
        assert response.status_code == 200
        assert "at most 150 characters" in response.content.decode()
        assert not AccessAttempt.objects.exists()

    def test_256_character_username_on_the_admin_login(self, client, db):
        response = client.post(reverse("admin:login"), {"username": "u" * 256, "password": "whatever-it-is"})
        assert response.status_code == 200
        assert "at most 150 characters" in response.content.decode()


class TestClientAddress:
    @pytest.mark.parametrize(
        "trusted, forwarded, expected",
        [
            (0, "203.0.113.5", PROXY),  # header ignored without trusted proxies
            (1, "203.0.113.5", "203.0.113.5"),
            (1, "6.6.6.6, 203.0.113.5", "203.0.113.5"),  # a forged left entry is not read
            (2, "6.6.6.6, 203.0.113.5, 10.0.0.1", "203.0.113.5"),
            (2, "203.0.113.5", PROXY),  # shorter than the chain: the connection's address
            (1, "", PROXY),
        ],
    )
    def test_client_ip_address(self, rf, settings, trusted, forwarded, expected):
        settings.TRUSTED_PROXY_COUNT = trusted
        request = rf.get("/", REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=forwarded)
        assert client_ip_address(request) == expected


def _login(client, forwarded_for, password):
    return client.post(
        reverse("login"),
        {"username": "coord-a", "password": password},
        REMOTE_ADDR=PROXY,
        HTTP_X_FORWARDED_FOR=forwarded_for,
    )


def test_lockout_behind_a_proxy_leaves_other_clients_able_to_sign_in(settings, coordinator_a):
    """Five wrong passwords from one client lock that client out; another
    client, through the same proxy, signs in."""
    settings.TRUSTED_PROXY_COUNT = 1
    attacker, colleague = Client(), Client()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _login(attacker, "203.0.113.5", "wrong-password")
    locked = _login(attacker, "203.0.113.5", PASSWORD)
    assert locked.status_code == 429
    # Forging a left-hand entry does not get the attacker out of the lockout.
    assert _login(attacker, "198.51.100.7, 203.0.113.5", PASSWORD).status_code == 429

    response = _login(colleague, "198.51.100.7", PASSWORD)
    assert response.status_code == 302
    assert AccessAttempt.objects.get().ip_address == "203.0.113.5"


def test_without_trusted_proxy_every_client_looks_like_the_proxy(settings, coordinator_a):
    """The old behaviour, kept when no proxy is trusted: the header is ignored."""
    settings.TRUSTED_PROXY_COUNT = 0
    attacker, colleague = Client(), Client()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _login(attacker, "203.0.113.5", "wrong-password")
    assert _login(colleague, "198.51.100.7", PASSWORD).status_code == 429


class TestIdleSession:
    def test_session_cookie_ends_with_the_browser(self, client, coordinator_a):
        response = client.post(reverse("login"), {"username": "coord-a", "password": PASSWORD})
        cookie = response.cookies["sessionid"]
        assert not cookie["expires"] and not cookie["max-age"]

    def test_active_session_goes_on(self, client, coordinator_a):
        client.force_login(coordinator_a)
        session = client.session
        session[LAST_ACTIVITY_SESSION_KEY] = int(time.time()) - 29 * 60
        session.save()
        assert client.get(reverse("home")).status_code == 200
        assert client.session[LAST_ACTIVITY_SESSION_KEY] >= int(time.time()) - 5  # the clock restarted

    def test_idle_session_ends(self, client, coordinator_a, settings):
        settings.SESSION_IDLE_TIMEOUT_MINUTES = 30
        client.force_login(coordinator_a)
        session = client.session
        session[LAST_ACTIVITY_SESSION_KEY] = int(time.time()) - 31 * 60
        session.save()
        response = client.get(reverse("duos:duo_list"))
        assert response.status_code == 302
        assert response.url == f"{reverse('login')}?next={reverse('duos:duo_list')}"
        assert "_auth_user_id" not in client.session
        follow = client.get(response.url)
        assert "signed out after a period without activity" in follow.content.decode()


class TestPasswordReset:
    def test_known_address_gets_a_link(self, client, coordinator_a, django_capture_on_commit_callbacks):
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(reverse("password_reset"), {"email": "coord-a@example.org"})
        assert response.status_code == 302
        assert response.url == reverse("password_reset_done")
        assert len(mail.outbox) == 1
        assert mail.outbox[0].to == ["coord-a@example.org"]
        assert "/accounts/reset/" in mail.outbox[0].body

    def test_unknown_address_same_answer_no_mail(self, client, db, django_capture_on_commit_callbacks):
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(reverse("password_reset"), {"email": "nobody@example.org"})
        assert response.status_code == 302
        assert response.url == reverse("password_reset_done")
        assert mail.outbox == []

    def test_request_does_the_same_work_for_known_and_unknown_addresses(
        self, client, coordinator_a, django_capture_on_commit_callbacks
    ):
        """No timing difference: the request runs the same SQL (none about
        users) and queues one task, whether or not an account has the address."""
        runs = []
        for email in ("coord-a@example.org", "nobody@example.org"):
            with CaptureQueriesContext(connection) as queries, django_capture_on_commit_callbacks() as callbacks:
                client.post(reverse("password_reset"), {"email": email})
            runs.append(([q["sql"] for q in queries.captured_queries], len(callbacks)))
        assert runs[0] == runs[1]
        assert runs[0][1] == 1
        assert not any("auth_user" in sql for sql in runs[0][0])

    def test_rate_limited_per_address(self, client, settings, db):
        settings.PASSWORD_RESET_RATE = "3/h"
        for n in range(3):
            response = client.post(reverse("password_reset"), {"email": "x@example.org"}, REMOTE_ADDR=f"192.0.2.{n}")
            assert response.status_code == 302
        response = client.post(reverse("password_reset"), {"email": "X@example.org"}, REMOTE_ADDR="192.0.2.99")
        assert response.status_code == 429
        assert "Too many reset requests" in response.content.decode()

    def test_rate_limited_per_client(self, client, settings, db):
        settings.PASSWORD_RESET_RATE = "3/h"
        for n in range(3):
            assert client.post(reverse("password_reset"), {"email": f"x{n}@example.org"}).status_code == 302
        assert client.post(reverse("password_reset"), {"email": "y@example.org"}).status_code == 429

    def test_bad_address_is_a_form_error(self, client, db):
        response = client.post(reverse("password_reset"), {"email": "not-an-address"})
        assert response.status_code == 200
        assert "Enter a valid email address" in response.content.decode()


class TestPasswordLength:
    @pytest.mark.parametrize("role", ["staff", "manager"])
    def test_actiris_roles_need_12_characters(self, db, role):
        user = UserFactory(username=f"long-{role}", role=role)
        with pytest.raises(ValidationError, match="at least 12 characters"):
            validate_password("Xq7#mK2pL9w", user=user)  # 11 characters
        validate_password("Xq7#mK2pL9wZ", user=user)

    def test_administrators_need_12_characters(self, db):
        user = UserFactory(username="root", role=None, is_superuser=True, is_staff=True)
        with pytest.raises(ValidationError, match="at least 12 characters"):
            validate_password("Xq7#mK2pL9w", user=user)

    def test_coordinators_keep_the_ordinary_minimum(self, coordinator_a):
        validate_password("Xq7#mK2pL9w", user=coordinator_a)

    def test_password_change_form_shows_the_rule(self, client, staff_user):
        client.force_login(staff_user)
        response = client.post(
            reverse("password_change"),
            {"old_password": PASSWORD, "new_password1": "Xq7#mK2pL9w", "new_password2": "Xq7#mK2pL9w"},
        )
        assert response.status_code == 200
        assert "at least 12 characters" in response.content.decode()
