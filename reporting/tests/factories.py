"""Small builders on top of ``tests.factories`` for hand-counted figure data."""

import datetime

from duos.models import DuoStatus, MeetingStatus
from tests.factories import DuoFactory, MeetingFactory, OutcomeFactory


def day(text):
    return datetime.date.fromisoformat(text)


def active_duo(programme, start, **kwargs):
    return DuoFactory(programme=programme, start_date=day(start), **kwargs)


def closed_duo(programme, start, end, *, reason="completed", outcome=None, contract="", months=None, **kwargs):
    """A duo closed on ``end`` with its primary outcome (``outcome`` type)."""
    duo = DuoFactory(
        programme=programme,
        start_date=day(start),
        status=DuoStatus.CLOSED,
        end_date=day(end),
        closure_reason=reason,
        **kwargs,
    )
    if outcome:
        primary_outcome(duo, outcome, contract=contract, months=months)
    return duo


def primary_outcome(duo, outcome_type, *, contract="", months=None):
    return OutcomeFactory(
        duo=duo,
        is_primary=True,
        type=outcome_type,
        contract_type=contract if outcome_type == "job" else "",
        contract_months=months,
    )


def follow_up_outcome(duo, outcome_type, *, contract=""):
    """A later, non-primary outcome: figures must ignore it."""
    return OutcomeFactory(
        duo=duo, is_primary=False, type=outcome_type, contract_type=contract if outcome_type == "job" else ""
    )


def meetings(duo, *dates, status=MeetingStatus.HELD):
    return [MeetingFactory(duo=duo, date=day(date), status=status) for date in dates]
