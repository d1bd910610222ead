"""Project-wide pytest fixtures: personas for every role."""

import pytest
from django.core.cache import cache
from django.utils import translation

from tests.factories import PartnerFactory, UserFactory


@pytest.fixture(autouse=True)
def _english(settings):
    """Tests read messages in English; the UI default stays French."""
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


@pytest.fixture(autouse=True)
def _eager_tasks_by_default(request):
    """Celery tasks run in-process in tests, whatever the environment: CI sets a
    broker for the PostgreSQL run, and only the tests marked ``celery_worker``
    (which switch eager mode off themselves) talk to a real worker."""
    from mentoring.celery import app

    previous = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = previous


@pytest.fixture(autouse=True)
def _empty_cache():
    """Rate limits count in the cache: each test starts with none spent."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _force_login_passes_the_second_factor(monkeypatch):
    """``client.force_login`` also verifies the second factor of users who must
    have one (tests/two_factor.py); the login form does not."""
    from django.test import Client

    from tests.two_factor import force_login_verified

    monkeypatch.setattr(Client, "force_login", force_login_verified)


@pytest.fixture
def partner_a(db):
    return PartnerFactory(name="Partner A", slug="partner-a")


@pytest.fixture
def partner_b(db):
    return PartnerFactory(name="Partner B", slug="partner-b")


@pytest.fixture
def coordinator_a(partner_a):
    return UserFactory(username="coord-a", role="coordinator", partner=partner_a)


@pytest.fixture
def coordinator_b(partner_b):
    return UserFactory(username="coord-b", role="coordinator", partner=partner_b)


@pytest.fixture
def staff_user(db):
    return UserFactory(username="staff", role="staff")


@pytest.fixture
def manager_user(db):
    return UserFactory(username="manager", role="manager")


@pytest.fixture
def admin_user_(db):
    return UserFactory(username="admin", role=None, is_superuser=True, is_staff=True)


@pytest.fixture
def dpo_user(db):
    """The data-protection officer: reads the access log, no partner record."""
    return UserFactory(username="dpo", role="dpo")
