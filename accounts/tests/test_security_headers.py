"""Security headers and the Content-Security-Policy's promise: no inline script."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

TEMPLATES = Path(settings.BASE_DIR) / "templates"
INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*type=\"application/json\")[^>]*>", re.IGNORECASE)
EVENT_HANDLER = re.compile(r"\son[a-z]+\s*=", re.IGNORECASE)
STYLE_ATTRIBUTE = re.compile(r"\sstyle\s*=|<style", re.IGNORECASE)


def test_csp_allows_no_inline_script_or_style(client, db):
    response = client.get(reverse("login"))
    policy = response["Content-Security-Policy"]
    directives = dict(part.strip().split(" ", 1) for part in policy.split(";") if part.strip())
    assert directives["script-src"] == "'self'"
    assert directives["style-src"] == "'self'"
    assert "unsafe" not in policy
    assert directives["frame-ancestors"] == "'none'"


def test_referrer_and_permissions_policy(client, db):
    response = client.get(reverse("login"))
    assert response["Referrer-Policy"] == "same-origin"
    assert "camera=()" in response["Permissions-Policy"]
    assert "geolocation=()" in response["Permissions-Policy"]


@pytest.mark.parametrize("path", sorted(TEMPLATES.rglob("*.html")), ids=lambda p: str(p.relative_to(TEMPLATES)))
def test_templates_have_no_inline_script_handler_or_style(path):
    """Behaviour lives in static/js (data-* attributes select the elements),
    looks in static/css: the policy would block anything inline."""
    source = path.read_text()
    assert not INLINE_SCRIPT.search(source), "inline <script>: move it to static/js"
    assert not EVENT_HANDLER.search(source), "inline event handler (onclick=...): use static/js/app.js"
    assert not STYLE_ATTRIBUTE.search(source), "inline style: use a class in static/css/app.css"


def test_pages_load_the_shared_script(client, coordinator_a):
    client.force_login(coordinator_a)
    content = client.get(reverse("home")).content.decode()
    assert "js/app.js" in content
    assert "data-autosubmit" in content  # the language switch, without onchange
