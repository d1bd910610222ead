"""The deployment files: compose.yaml, the Dockerfile, gunicorn.conf.py, .env.example.

Docker is not run here: these tests read the files, and load the settings and
gunicorn's configuration with the environment compose.yaml gives the
containers (in a subprocess, as a container would).
"""

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
COMPOSE = yaml.safe_load((ROOT / "compose.yaml").read_text())
SERVICES = COMPOSE["services"]
APP_SERVICES = ("migrate", "web", "worker", "beat")
# What a deployer puts in .env (compose substitutes it into ${...}).
DEPLOYER_ENV = {
    "SECRET_KEY": "x7#k2!pLq9$wZr4@vN8&bT1^mC6*hJ3(eY5)dF0-gA2+sU7=oI9",
    "ALLOWED_HOSTS": "mentoring.example.org",
    "POSTGRES_PASSWORD": "not-a-real-password",
}
_SUBSTITUTION = re.compile(r"\$\{(\w+)(?::?([-?])([^}]*))?\}")

# Run in a subprocess with the containers' environment: imports the settings
# (and, for web, gunicorn.conf.py) while recording every variable read through
# django-environ and whether it was read without a default (required).
_PROBE = """
import json, runpy, sys
import environ

reads = {}
_get_value = environ.Env.get_value

def recording(self, var, cast=None, default=environ.Env.NOTSET, parse_default=False):
    reads[var] = reads.get(var, False) or default is environ.Env.NOTSET
    return _get_value(self, var, cast=cast, default=default, parse_default=parse_default)

environ.Env.get_value = recording
from mentoring import settings
gunicorn = runpy.run_path("gunicorn.conf.py") if "--gunicorn" in sys.argv else {}
print(json.dumps({
    "reads": reads,
    "DEBUG": settings.DEBUG,
    "ALLOWED_HOSTS": settings.ALLOWED_HOSTS,
    "CSRF_TRUSTED_ORIGINS": settings.CSRF_TRUSTED_ORIGINS,
    "DATABASES": {alias: {"ENGINE": db["ENGINE"], "HOST": db.get("HOST")} for alias, db in settings.DATABASES.items()},
    "CELERY_BROKER_URL": settings.CELERY_BROKER_URL,
    "CELERY_TASK_ALWAYS_EAGER": settings.CELERY_TASK_ALWAYS_EAGER,
    "CACHE_BACKEND": settings.CACHES["default"]["BACKEND"],
    "LOG_FORMAT": settings.LOG_FORMAT,
    "MEDIA_ROOT": str(settings.MEDIA_ROOT),
    "SECURE_SSL_REDIRECT": settings.SECURE_SSL_REDIRECT,
    "REPORTING_READ_ALIAS": settings.REPORTING_READ_ALIAS,
    "gunicorn": {key: gunicorn[key] for key in ("bind", "workers", "threads", "timeout") if key in gunicorn},
}))
"""


def substitute(value, given):
    """``value`` with compose's ``${VAR}``, ``${VAR:-default}`` and
    ``${VAR:?error}`` replaced from ``given``, as ``docker compose`` does."""

    def replace(match):
        name, kind, argument = match.groups()
        if given.get(name):
            return given[name]
        if kind == "?":
            raise KeyError(f"compose.yaml requires {name}: {argument}")
        return argument if kind == "-" else ""

    return _SUBSTITUTION.sub(replace, str(value))


def container_env(service, given=DEPLOYER_ENV):
    return {key: substitute(value, given) for key, value in SERVICES[service]["environment"].items()}


def probe_environment(env, *, gunicorn=True):
    """The settings (and gunicorn.conf.py) as a process with ``env`` loads them."""
    args = [sys.executable, "-c", _PROBE] + (["--gunicorn"] if gunicorn else [])
    result = subprocess.run(args, cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def probe(service):
    """The settings as the container of ``service`` loads them."""
    return probe_environment({"PATH": "/usr/bin:/bin", **container_env(service)}, gunicorn=service == "web")


@pytest.fixture(scope="module")
def probes():
    return {service: probe(service) for service in ("web", "worker")}


def test_compose_runs_web_worker_beat_postgresql_and_redis():
    assert set(SERVICES) == {"web", "worker", "beat", "db", "redis", "migrate"}
    assert SERVICES["db"]["image"] == "postgres:15"
    assert any(volume.endswith(":/var/lib/postgresql/data") for volume in SERVICES["db"]["volumes"])
    assert "pg_isready" in " ".join(SERVICES["db"]["healthcheck"]["test"])
    assert SERVICES["redis"]["image"] == "redis:7"
    assert SERVICES["web"]["command"][:3] == ["gunicorn", "--config", "gunicorn.conf.py"]
    assert SERVICES["web"]["command"][-1] == "mentoring.wsgi"
    assert SERVICES["worker"]["command"][:4] == ["celery", "--app", "mentoring", "worker"]
    assert SERVICES["beat"]["command"][:4] == ["celery", "--app", "mentoring", "beat"]
    for service in APP_SERVICES:
        assert SERVICES[service]["build"] == "."


def test_migrations_run_once_before_the_app_starts():
    """The one-shot ``migrate`` service applies migrations; web, worker and
    beat wait for it to succeed (and for the database and Redis)."""
    migrate = SERVICES["migrate"]
    assert migrate["command"] == ["python", "manage.py", "migrate", "--noinput"]
    assert migrate["restart"] == "no"
    assert migrate["depends_on"] == {"db": {"condition": "service_healthy"}}
    for service in ("web", "worker", "beat"):
        depends_on = SERVICES[service]["depends_on"]
        assert depends_on["migrate"] == {"condition": "service_completed_successfully"}
        assert depends_on["db"] == {"condition": "service_healthy"}
        assert depends_on["redis"] == {"condition": "service_healthy"}


def test_report_files_are_shared_by_web_and_worker():
    """The worker writes report files that web serves: one volume, at MEDIA_ROOT."""
    media_root = container_env("web")["MEDIA_ROOT"]
    for service in ("web", "worker"):
        assert f"media:{media_root}" in SERVICES[service]["volumes"]


def test_app_services_share_one_environment():
    shared = COMPOSE["x-app-environment"]
    for service in ("migrate", "worker", "beat"):
        assert SERVICES[service]["environment"] == shared
    web = SERVICES["web"]["environment"]
    assert {key: web[key] for key in shared} == shared
    assert {key for key in web if key not in shared} == {
        "GUNICORN_BIND",
        "GUNICORN_WORKERS",
        "GUNICORN_THREADS",
        "GUNICORN_TIMEOUT",
    }


def test_compose_requires_the_secrets():
    """Without a SECRET_KEY or a database password in .env, compose stops."""
    for name in ("SECRET_KEY", "POSTGRES_PASSWORD", "ALLOWED_HOSTS"):
        given = {key: value for key, value in DEPLOYER_ENV.items() if key != name}
        with pytest.raises(KeyError, match=name):
            container_env("web", given)


def test_every_variable_compose_sets_is_read(probes):
    """No variable in compose.yaml is ignored (a typo would be): web's are
    read by the settings or gunicorn.conf.py, the others' by the settings."""
    for service, reads in (("web", probes["web"]["reads"]), ("worker", probes["worker"]["reads"])):
        unread = sorted(set(SERVICES[service]["environment"]) - set(reads))
        assert not unread, f"{service}: compose.yaml sets variables nothing reads: {unread}"


def test_compose_sets_every_required_variable(probes):
    """The variables the production settings read without a default are set."""
    for service in ("web", "worker"):
        required = {name for name, no_default in probes[service]["reads"].items() if no_default}
        assert "SECRET_KEY" in required
        assert required <= set(SERVICES[service]["environment"])


def test_compose_environment_gives_production_settings(probes):
    web = probes["web"]
    assert web["DEBUG"] is False
    assert web["ALLOWED_HOSTS"] == ["localhost", "mentoring.example.org"]
    assert web["CSRF_TRUSTED_ORIGINS"] == []
    assert web["DATABASES"] == {"default": {"ENGINE": "django.db.backends.postgresql", "HOST": "db"}}
    assert web["REPORTING_READ_ALIAS"] == "default"  # no replica unless DATABASE_REPLICA_URL is set
    assert web["CELERY_BROKER_URL"] == "redis://redis:6379/1"
    assert web["CELERY_TASK_ALWAYS_EAGER"] is False
    assert web["CACHE_BACKEND"] == "django.core.cache.backends.redis.RedisCache"
    assert web["LOG_FORMAT"] == "json"
    assert web["MEDIA_ROOT"] == "/app/media"
    assert web["SECURE_SSL_REDIRECT"] is True
    assert web["gunicorn"] == {"bind": "0.0.0.0:8000", "workers": 3, "threads": 1, "timeout": 30}
    assert probes["worker"]["CELERY_BROKER_URL"] == web["CELERY_BROKER_URL"]


def test_env_example_lists_every_variable_compose_substitutes():
    """.env.example (copied to .env) documents each ${VAR} of compose.yaml."""
    substituted = set(re.findall(r"\$\{(\w+)", (ROOT / "compose.yaml").read_text()))
    documented = set(re.findall(r"^#?\s*([A-Z][A-Z0-9_]+)=", (ROOT / ".env.example").read_text(), re.MULTILINE))
    assert substituted - documented == set()
    assert documented - substituted == set()


def test_dockerfile():
    """Python 3.11 slim, the pinned requirements, static files collected at
    build time, an unprivileged user. (The image is not built here.)"""
    lines = [line.strip() for line in (ROOT / "Dockerfile").read_text().splitlines()]
    instructions = [line for line in lines if line and not line.startswith("#")]
    assert instructions[0] == "FROM python:3.11-slim"
    assert "RUN pip install -r requirements.txt" in instructions
    assert any(line.startswith("RUN python manage.py collectstatic --noinput") for line in instructions)
    users = [line.split()[1] for line in instructions if line.startswith("USER ")]
    assert users and users[-1] not in ("root", "0")
    collect = next(i for i, line in enumerate(instructions) if "collectstatic" in line)
    assert collect > instructions.index("COPY . .")
    ignored = (ROOT / ".dockerignore").read_text().split()
    assert {".env", ".venv", "db.sqlite3*", "media"} <= set(ignored)


def test_gunicorn_is_pinned():
    requirements = (ROOT / "requirements.txt").read_text()
    assert re.search(r"^gunicorn==[\d.]+", requirements, re.MULTILINE)


def test_gunicorn_loads_the_app_with_the_web_environment(tmp_path):
    """``gunicorn --check-config`` reads gunicorn.conf.py and imports the WSGI
    application, with web's environment (SQLite standing in for PostgreSQL)."""
    env = {
        "PATH": "/usr/bin:/bin",
        **container_env("web"),
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
    }
    gunicorn = Path(sys.executable).with_name("gunicorn")
    command = [str(gunicorn), "--check-config", "--config", "gunicorn.conf.py", "mentoring.wsgi"]
    result = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr


def test_readme_lists_every_variable(probes):
    """The README's configuration table names every variable the settings and
    gunicorn.conf.py read (in development and in production)."""
    readme = (ROOT / "README.md").read_text()
    table = "\n".join(line for line in readme.splitlines() if line.startswith("| `"))
    documented = set(re.findall(r"`([A-Z][A-Z0-9_]+)`", table))
    development = probe_environment({"PATH": "/usr/bin:/bin"})
    read = set(development["reads"]) | set(probes["web"]["reads"]) | set(probes["worker"]["reads"])
    assert sorted(read - documented) == []
