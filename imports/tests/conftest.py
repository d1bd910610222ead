import datetime

import pytest

from duos.tests.test_browser import browser_page  # noqa: F401  (Chromium driven by Playwright, for test_browser)
from programmes.tests.world import use_fast_password_hasher
from tests.factories import ConventionShareFactory, FundingConventionFactory, ProgrammeFactory


@pytest.fixture(autouse=True)
def _fast_password_hasher(settings):
    use_fast_password_hasher(settings)


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    """Uploaded files go to a temporary folder."""
    settings.MEDIA_ROOT = str(tmp_path / "media")
    return tmp_path / "media"


@pytest.fixture
def eager_tasks():
    from mentoring.celery import app

    previous = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = previous


@pytest.fixture
def programme_a(partner_a):
    """Six-month duos, two meetings a month anywhere, mentees 18 to 33."""
    return ProgrammeFactory(
        partner=partner_a,
        name="Job Duo",
        slug="job-duo",
        duration_months=6,
        mentee_min_age=18,
        mentee_max_age=33,
        max_active_duos_per_mentor=2,
    )


@pytest.fixture
def convention_a(partner_a):
    convention = FundingConventionFactory(
        name="Regional 2018-2019",
        slug="regional-2018",
        period_start=datetime.date(2018, 1, 1),
        period_end=datetime.date(2019, 12, 31),
    )
    ConventionShareFactory(convention=convention, partner=partner_a)
    return convention
