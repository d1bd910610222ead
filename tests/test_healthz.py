"""``/healthz``: 200 when the database and the broker answer, 503 otherwise."""

import os
import socket

import pytest
import redis
from django.db import OperationalError, connections
from django.urls import reverse

from mentoring.health import healthz

pytestmark = pytest.mark.django_db


@pytest.fixture
def closed_port():
    """A local TCP port nothing listens on (bound, then released)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def redis_url():
    """The broker CI configures, else the local Redis (database 15) if it answers."""
    url = os.environ.get("CELERY_BROKER_URL") or "redis://127.0.0.1:6379/15"
    try:
        redis.Redis.from_url(url, socket_connect_timeout=2).ping()
    except redis.RedisError:
        if os.environ.get("CELERY_BROKER_URL"):
            pytest.fail(f"CELERY_BROKER_URL={url} does not answer")
        pytest.skip("no Redis at 127.0.0.1:6379 and no CELERY_BROKER_URL")
    return url


@pytest.fixture
def no_broker(settings):
    settings.CELERY_BROKER_URL = ""
    settings.CELERY_TASK_ALWAYS_EAGER = True


@pytest.fixture
def database_down(monkeypatch):
    """The default connection fails as when PostgreSQL is down."""

    def refuse(*args, **kwargs):
        raise OperationalError('connection to server at "127.0.0.1", port 5432 failed: Connection refused')

    monkeypatch.setattr(connections["default"], "cursor", refuse)


def test_url():
    assert reverse("healthz") == "/healthz"


def test_healthy_without_a_broker(client, no_broker):
    """Eager tasks, no broker: nothing to wait for, and the app is healthy."""
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "checks": {"database": "ok", "broker": "not configured"}}
    assert response["Content-Type"] == "application/json"
    assert "no-cache" in response["Cache-Control"]


def test_needs_no_login_and_reads_no_session(client, no_broker, django_assert_num_queries):
    """Anonymous, without a session: one query (SELECT 1), no redirect to the login."""
    with django_assert_num_queries(1):
        response = client.get("/healthz")
    assert response.status_code == 200


def test_logged_in_user_gets_the_same_answer(client, coordinator_a, no_broker):
    client.force_login(coordinator_a)
    response = client.get("/healthz")
    assert response.status_code == 200
    assert "coord" not in response.content.decode()


def test_database_down_is_503(client, no_broker, database_down):
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json() == {"status": "error", "checks": {"database": "error", "broker": "not configured"}}
    assert b"refused" not in response.content  # the reason goes to the log only


def test_broker_that_does_not_answer_is_503(client, settings, closed_port):
    settings.CELERY_BROKER_URL = f"redis://127.0.0.1:{closed_port}/0"
    settings.CELERY_TASK_ALWAYS_EAGER = False
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json() == {"status": "error", "checks": {"database": "ok", "broker": "error"}}
    assert str(closed_port) not in response.content.decode()


def test_everything_down_is_503(client, settings, closed_port, database_down):
    settings.CELERY_BROKER_URL = f"redis://127.0.0.1:{closed_port}/0"
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["checks"] == {"database": "error", "broker": "error"}


def test_failure_is_logged_with_its_reason(client, no_broker, database_down, caplog):
    client.get("/healthz")
    assert any(record.name == "mentoring.health" and "refused" in str(record.exc_info[1]) for record in caplog.records)


def test_healthy_with_a_broker_that_answers(client, settings, redis_url):
    settings.CELERY_BROKER_URL = redis_url
    settings.CELERY_TASK_ALWAYS_EAGER = False
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "checks": {"database": "ok", "broker": "ok"}}


def test_head_is_allowed_and_post_is_not(client, no_broker):
    assert client.head("/healthz").status_code == 200
    assert client.post("/healthz").status_code == 405


def test_not_redirected_to_https(client, no_broker, settings):
    """Load balancers probe over plain HTTP behind the TLS proxy."""
    settings.SECURE_SSL_REDIRECT = True
    assert client.get("/healthz").status_code == 200
    assert client.get(reverse("login")).status_code == 301


def test_no_login_required_even_with_the_login_required_middleware(client, no_broker, settings):
    """Should every page come to require a login by middleware, /healthz stays open."""
    settings.MIDDLEWARE = [*settings.MIDDLEWARE, "django.contrib.auth.middleware.LoginRequiredMiddleware"]
    assert client.get("/healthz").status_code == 200
    assert healthz.login_required is False  # what that middleware reads
