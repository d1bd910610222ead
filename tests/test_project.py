"""Project-level checks: migrations match the models; settings read the environment."""

import re
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.django_db
def test_migrations_match_models():
    out = StringIO()
    call_command("makemigrations", "--check", "--dry-run", stdout=out)
    assert "No changes detected" in out.getvalue()


def test_deploy_check_with_production_variables():
    """`check --deploy` with production-like variables warns about nothing but HSTS preload."""
    env = {
        "PATH": "/usr/bin:/bin",
        "DEBUG": "False",
        "SECRET_KEY": "x7#k2!pLq9$wZr4@vN8&bT1^mC6*hJ3(eY5)dF0-gA2+sU7=oI9",
        "ALLOWED_HOSTS": "mentoring.example.org",
        "DATABASE_URL": "sqlite:////tmp/deploy-check.sqlite3",
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy"], cwd=ROOT, env=env, capture_output=True, text=True
    )
    output = result.stdout + result.stderr
    codes = re.findall(r"\((\w+\.[WE]\d+)\)", output)
    assert codes == ["security.W021"], output


def test_secret_key_required_outside_debug():
    env = {"PATH": "/usr/bin:/bin", "DEBUG": "False"}
    result = subprocess.run([sys.executable, "manage.py", "check"], cwd=ROOT, env=env, capture_output=True, text=True)
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr
