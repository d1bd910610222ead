"""Hand-counted data for the figure tests (counts worked out in test_figures.py)."""

from decimal import Decimal

import pytest

from tests.factories import ConventionShareFactory, FundingConventionFactory, ProgrammeFactory

from .factories import active_duo, closed_duo, day, follow_up_outcome, meetings


@pytest.fixture
def hand_counted(partner_a, partner_b):
    """Two partners, period 2019Q1. See ``test_figures`` for the counts."""
    programme_a = ProgrammeFactory(partner=partner_a, min_meetings_per_month=2)
    programme_b = ProgrammeFactory(partner=partner_b, min_meetings_per_month=1)
    convention = FundingConventionFactory(
        slug="conv-2019",
        amount=Decimal("100000.00"),
        period_start=day("2019-01-01"),
        period_end=day("2019-12-31"),
        target_duos_per_year=100,
    )
    ConventionShareFactory(convention=convention, partner=partner_a, amount=Decimal("60000"), target_duos_per_year=60)
    ConventionShareFactory(convention=convention, partner=partner_b, amount=Decimal("40000"), target_duos_per_year=40)

    d1 = closed_duo(programme_a, "2018-10-01", "2019-02-15", outcome="job", contract="cdi")
    follow_up_outcome(d1, "training")
    meetings(d1, "2019-01-03", "2019-01-10", "2019-01-17", "2019-02-07")
    d2 = closed_duo(
        programme_a, "2018-11-01", "2019-03-10", reason="early_mentee", outcome="job", contract="cdd", months=2
    )
    follow_up_outcome(d2, "job", contract="cdi")
    follow_up_outcome(d2, "self_employment")
    closed_duo(programme_a, "2018-09-01", "2019-01-20", outcome="self_employment")
    closed_duo(programme_a, "2018-08-01", "2019-02-28", outcome="training")
    closed_duo(programme_a, "2018-07-01", "2019-03-31", outcome="none")
    d6 = active_duo(programme_a, "2019-01-15", convention=convention)
    meetings(d6, "2019-02-04", "2019-02-18", "2019-03-04")
    meetings(d6, "2019-03-18", status="cancelled")
    d7 = active_duo(programme_a, "2019-02-01", convention=convention)
    meetings(d7, "2019-02-05", "2019-02-19", "2019-03-05", "2019-03-19")
    closed_duo(programme_a, "2018-06-01", "2018-12-31", outcome="job", contract="cdi")
    active_duo(programme_a, "2019-04-01", convention=convention)

    e1 = closed_duo(programme_b, "2018-12-01", "2019-01-31", outcome="job", contract="cdd", months=6)
    meetings(e1, "2018-12-03", "2018-12-10", "2018-12-17", "2019-01-07")
    follow_up_outcome(e1, "job", contract="cdi")
    e2 = active_duo(programme_b, "2019-03-01", convention=convention)
    meetings(e2, "2019-03-06")
    closed_duo(programme_b, "2018-10-01", "2019-02-10", reason="early_lost_contact", outcome="unknown")
    return {"convention": convention, "programme_a": programme_a, "programme_b": programme_b}


@pytest.fixture
def eager_tasks():
    """Run Celery tasks in-process whatever the environment (CI sets a broker
    for the PostgreSQL run; these tests do not need a worker)."""
    from mentoring.celery import app

    previous = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = previous


@pytest.fixture
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    return tmp_path / "media"
