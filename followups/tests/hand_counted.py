"""The hand-counted follow-ups of period 2019Q2 (the table and the counts are
in ``test_figures``'s docstring), shared by the follow-up tests and the
reporting tests (dashboard, drill-down, exports)."""

import datetime

from followups.models import FollowUp
from tests.factories import DuoFactory, OutcomeFactory, ProgrammeFactory


def day(text):
    return datetime.date.fromisoformat(text)


def duo(programme, end, outcome, contract="", follow_ups=(), status="closed"):
    """A duo of ``programme`` closed on ``end`` (started 180 days before) with
    its primary ``outcome`` and the follow-ups ``[(months, situation)]``."""
    closed = day(end)
    made = DuoFactory(
        programme=programme,
        start_date=closed - datetime.timedelta(days=180),
        status=status,
        end_date=closed,
        closure_reason="completed",
    )
    OutcomeFactory(duo=made, type=outcome, contract_type=contract if outcome == "job" else "")
    for months, situation in follow_ups:
        FollowUp.objects.create(
            duo=made,
            offset_months=months,
            date=closed + datetime.timedelta(days=30 * months),
            situation=situation,
            contract_type="cdi" if situation == "job" else "",
        )
    return made


def build_hand_counted_follow_ups(partner_a, partner_b):
    """Partner A's programme asks for 3, 6 and 12 months, partner B's for 6 only."""
    a = ProgrammeFactory(partner=partner_a)
    b = ProgrammeFactory(partner=partner_b, follow_up_months=[6])
    duo(a, "2018-11-15", "job", "cdi", [(3, "job"), (6, "job")])
    duo(a, "2018-12-31", "none", follow_ups=[(6, "none")])
    duo(a, "2018-10-01", "job", "cdd", [(6, "unknown")])
    duo(a, "2018-10-20", "job", "cdi")
    duo(a, "2018-05-10", "none", follow_ups=[(12, "self_employment")])
    duo(a, "2018-06-30", "job", "cdd")
    duo(a, "2018-04-01", "none", follow_ups=[(3, "none"), (6, "job"), (12, "none")])
    duo(a, "2018-06-15", "training", follow_ups=[(3, "training"), (12, "unknown")])
    duo(a, "2019-02-10", "job", "cdi", [(3, "job")])
    duo(a, "2019-03-31", "none")
    duo(a, "2018-11-01", "job", "cdi", [(6, "job")], status="cancelled")
    duo(a, "2018-09-30", "job", "cdi", [(6, "job")])
    duo(a, "2018-07-01", "job", "cdi")
    b1 = duo(b, "2018-11-30", "none", follow_ups=[(6, "job")])
    OutcomeFactory(duo=b1, is_primary=False, type="job", contract_type="cdi")  # a later outcome: no double count
    duo(b, "2019-01-15", "job", "cdi")
    duo(b, "2018-05-20", "unknown")
    return {"a": partner_a, "b": partner_b}
