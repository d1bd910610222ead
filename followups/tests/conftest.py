import datetime

import pytest
from django.utils import timezone

from programmes.tests.world import use_fast_password_hasher
from tests.factories import DuoFactory, OutcomeFactory, ProgrammeFactory


@pytest.fixture(autouse=True)
def _fast_password_hasher(settings):
    use_fast_password_hasher(settings)


@pytest.fixture
def programme_a(partner_a):
    return ProgrammeFactory(partner=partner_a, name="Programme A")


def closed_duo(programme, end, *, outcome="job", contract="cdi", start=None, **kwargs):
    """A duo of ``programme`` closed on ``end`` with its primary outcome."""
    start = start or end - datetime.timedelta(days=180)
    duo = DuoFactory(
        programme=programme,
        start_date=start,
        status="closed",
        end_date=end,
        closure_reason="completed",
        **kwargs,
    )
    OutcomeFactory(duo=duo, type=outcome, contract_type=contract if outcome == "job" else "")
    return duo


def days_ago(days):
    return timezone.localdate() - datetime.timedelta(days=days)
