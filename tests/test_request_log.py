"""Structured logs: one record per request, JSON in production, text in development."""

import io
import json
import logging
import logging.config
import subprocess
import sys
from pathlib import Path

import pytest
from django.urls import reverse

from mentoring.log_config import logging_config

ROOT = Path(__file__).resolve().parent.parent

pytestmark = pytest.mark.django_db


@pytest.fixture
def json_lines():
    """What the production handler writes for the ``mentoring`` loggers during
    the test: one parsed JSON object per line. The handler is the one
    ``logging_config(log_format="json")`` configures, attached beside pytest's."""
    config = logging_config(log_format="json")
    configurator = logging.config.DictConfigurator(config)
    handler = logging.StreamHandler(io.StringIO())
    handler.setFormatter(configurator.configure_formatter(config["formatters"]["json"]))
    handler.addFilter(configurator.configure_filter(config["filters"]["request_id"]))
    logger = logging.getLogger("mentoring")
    logger.addHandler(handler)
    previous_level = logger.level
    logger.setLevel(logging.DEBUG)

    def lines():
        return [json.loads(line) for line in handler.stream.getvalue().splitlines()]

    yield lines
    logger.removeHandler(handler)
    logger.setLevel(previous_level)


def request_lines(lines):
    return [line for line in lines() if line["logger"] == "mentoring.requests"]


def test_one_json_line_per_request(client, coordinator_a, json_lines):
    client.force_login(coordinator_a)
    response = client.get(reverse("duos:duo_list"), {"q": "Dupont", "page": "1"})
    assert response.status_code == 200
    [line] = request_lines(json_lines)
    assert line["level"] == "INFO"
    assert line["method"] == "GET"
    assert line["path"] == "/duos/"  # the query string (a searched name) is left out
    assert "Dupont" not in json.dumps(line)
    assert line["view"] == "duos:duo_list"
    assert line["status"] == 200
    assert isinstance(line["duration_ms"], float) and line["duration_ms"] >= 0
    assert line["user_id"] == coordinator_a.pk
    assert line["request_id"] == response["X-Request-ID"]
    assert len(line["request_id"]) == 32
    assert line["message"] == f"GET /duos/ 200 {line['duration_ms']} ms"
    assert line["timestamp"].endswith("+00:00")


def test_anonymous_redirect_is_logged_without_a_user(client, json_lines):
    client.get(reverse("duos:duo_list"))
    [line] = request_lines(json_lines)
    assert (line["status"], line["user_id"]) == (302, None)


def test_not_found_is_logged(client, json_lines):
    client.get("/no-such-page/")
    [line] = request_lines(json_lines)
    assert (line["path"], line["status"], line["view"]) == ("/no-such-page/", 404, None)


def test_request_id_from_the_proxy_is_kept(client, json_lines):
    response = client.get(reverse("login"), headers={"X-Request-ID": "edge-4f2a.9"})
    assert response["X-Request-ID"] == "edge-4f2a.9"
    assert request_lines(json_lines)[0]["request_id"] == "edge-4f2a.9"


def test_malformed_request_id_is_replaced(client, json_lines):
    response = client.get(reverse("login"), headers={"X-Request-ID": "x" * 65})
    assert len(response["X-Request-ID"]) == 32
    response = client.get(reverse("login"), headers={"X-Request-ID": 'a" injected="1'})
    assert "injected" not in response["X-Request-ID"]


def test_password_reset_token_is_not_logged(client, json_lines):
    """A reset link's token is a secret: the URL pattern is logged instead."""
    url = reverse("password_reset_confirm", kwargs={"uidb64": "MQ", "token": "c0ffee-s3cret"})
    client.get(url)
    [line] = request_lines(json_lines)
    assert line["path"] == "/accounts/reset/<uidb64>/<token>/"
    assert "s3cret" not in json.dumps(line)


def test_records_logged_during_a_request_carry_its_id(client, json_lines, monkeypatch):
    """Any record logged while serving a request (here the health check's
    warning) has the request's id; outside a request it is null."""
    from django.db import OperationalError, connections

    def refuse(*args, **kwargs):
        raise OperationalError("down")

    monkeypatch.setattr(connections["default"], "cursor", refuse)
    response = client.get("/healthz")
    lines = json_lines()
    warning = next(line for line in lines if line["logger"] == "mentoring.health")
    assert warning["level"] == "WARNING"
    assert warning["request_id"] == response["X-Request-ID"]
    assert "OperationalError: down" in warning["exc_info"]
    logging.getLogger("mentoring.test").info("outside")
    assert json_lines()[-1]["request_id"] is None


def test_successful_health_probe_is_logged_at_debug(client, json_lines, settings):
    settings.CELERY_BROKER_URL = ""
    client.get("/healthz")
    [line] = request_lines(json_lines)
    assert (line["level"], line["status"]) == ("DEBUG", 200)


def test_text_format_in_development():
    config = logging_config(log_format="text")
    assert config["handlers"]["console"]["formatter"] == "text"
    with pytest.raises(ValueError, match="LOG_FORMAT"):
        logging_config(log_format="xml")


def _serve_one_request(env):
    """A request through the real settings in a fresh process; its stderr."""
    code = (
        "import django; django.setup(); "
        "from django.test import Client; "
        "print(Client().get('/accounts/login/?next=/duos/').status_code)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={"PATH": "/usr/bin:/bin", "DJANGO_SETTINGS_MODULE": "mentoring.settings", **env},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.stdout.strip() == "200", result.stderr
    return result.stderr


def test_production_settings_write_json_lines(tmp_path):
    """With DEBUG=False the settings' own handler writes one JSON object per
    line on standard error, the request's among them."""
    stderr = _serve_one_request(
        {
            "DEBUG": "False",
            "SECRET_KEY": "test-only-" + "k" * 50,
            "ALLOWED_HOSTS": "testserver",
            "SECURE_SSL_REDIRECT": "False",
            "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        }
    )
    lines = [json.loads(line) for line in stderr.splitlines() if line.startswith("{")]
    assert len(lines) == len([line for line in stderr.splitlines() if line.strip()]), stderr  # nothing but JSON
    [request] = [line for line in lines if line["logger"] == "mentoring.requests"]
    assert (request["method"], request["path"], request["status"]) == ("GET", "/accounts/login/", 200)


def test_development_settings_write_text(tmp_path):
    stderr = _serve_one_request({"DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}"})
    [line] = [line for line in stderr.splitlines() if "mentoring.requests" in line]
    assert "INFO mentoring.requests: GET /accounts/login/ 200" in line
    assert not line.startswith("{")
