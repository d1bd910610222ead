"""Follow-up slots are derived from the closure date and the programme's
offsets: states, the to-do list, corrections that move them."""

import datetime

import pytest

from duos.models import Duo
from duos.services import duo_reopen
from followups.models import FollowUp, FollowUpOffset
from followups.selectors import (
    SlotState,
    duo_follow_ups,
    follow_up_slots,
    follow_ups_due,
    offsets_in_use,
    slot_state_filter,
)
from tests.factories import DuoFactory, ProgrammeFactory

from .conftest import closed_duo

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2019, 9, 15)


def record(duo, months, situation="job", contract="cdi", **kwargs):
    return FollowUp.objects.create(
        duo=duo,
        offset_months=months,
        date=kwargs.pop("date", TODAY),
        situation=situation,
        contract_type=contract if situation == "job" else "",
        **kwargs,
    )


def states(duos):
    """{(duo id, months): state} of every slot, from the database filters."""
    found = {}
    for state in SlotState.values:
        for row in follow_up_slots(duos).filter(slot_state_filter(state, today=TODAY)):
            assert (row.pk, row.offset_months) not in found
            found[row.pk, row.offset_months] = state
    return found


def test_slots_and_their_states(programme_a, settings):
    settings.FOLLOW_UP_WINDOW_DAYS = 60
    # Closed 2019-06-15: 3 months due 2019-09-15 (today), 6 on 2019-12-15, 12 on 2020-06-15.
    recent = closed_duo(programme_a, datetime.date(2019, 6, 15))
    # Closed 2019-04-30: 3 months due 2019-07-30 (47 days ago: due), 6 on 2019-10-31.
    april = closed_duo(programme_a, datetime.date(2019, 4, 30))
    # Closed 2018-12-31: 3 months due 2019-03-31 (missed), 6 on 2019-06-30 (77 days ago: missed,
    # recorded), 12 on 2019-12-31.
    old = closed_duo(programme_a, datetime.date(2018, 12, 31))
    record(old, 6)
    active = DuoFactory(programme=programme_a, start_date=datetime.date(2019, 5, 1))
    cancelled = closed_duo(programme_a, datetime.date(2019, 6, 15))
    Duo.objects.filter(pk=cancelled.pk).update(status="cancelled")

    assert states(Duo.objects.all()) == {
        (recent.pk, 3): "due",
        (recent.pk, 6): "upcoming",
        (recent.pk, 12): "upcoming",
        (april.pk, 3): "due",
        (april.pk, 6): "upcoming",
        (april.pk, 12): "upcoming",
        (old.pk, 3): "missed",
        (old.pk, 6): "recorded",
        (old.pk, 12): "upcoming",
    }
    assert active.pk not in {row.pk for row in follow_up_slots(Duo.objects.all())}

    due = list(follow_ups_due(Duo.objects.all(), today=TODAY))
    assert [(row.pk, row.offset_months, row.due_date) for row in due] == [
        (april.pk, 3, datetime.date(2019, 7, 30)),
        (recent.pk, 3, datetime.date(2019, 9, 15)),
    ]
    # The Python twin gives the same states (the duo page uses it).
    rows = {row["months"]: row for row in duo_follow_ups(old, today=TODAY)}
    assert {months: row["state"] for months, row in rows.items()} == {3: "missed", 6: "recorded", 12: "upcoming"}
    assert rows[6]["follow_up"].situation == "job"
    assert rows[12]["due_date"] == datetime.date(2019, 12, 31)
    assert duo_follow_ups(active, today=TODAY) == []


def test_window_edges(programme_a, settings):
    settings.FOLLOW_UP_WINDOW_DAYS = 10
    on_the_day = closed_duo(programme_a, datetime.date(2019, 6, 15))  # due today
    last_day = closed_duo(programme_a, datetime.date(2019, 6, 5))  # due 2019-09-05: 10 days ago
    gone = closed_duo(programme_a, datetime.date(2019, 6, 4))  # due 2019-09-04: 11 days ago
    tomorrow = closed_duo(programme_a, datetime.date(2019, 6, 16))
    due = {row.pk for row in follow_ups_due(Duo.objects.all(), today=TODAY)}
    assert due == {on_the_day.pk, last_day.pk}
    assert states(Duo.objects.filter(pk__in=[gone.pk, tomorrow.pk])) | {} == {
        (gone.pk, 3): "missed",
        (gone.pk, 6): "upcoming",
        (gone.pk, 12): "upcoming",
        (tomorrow.pk, 3): "upcoming",
        (tomorrow.pk, 6): "upcoming",
        (tomorrow.pk, 12): "upcoming",
    }


def test_slots_follow_the_programme_and_the_closure(programme_a, partner_a):
    duo = closed_duo(programme_a, datetime.date(2019, 6, 15))
    other = ProgrammeFactory(partner=partner_a, follow_up_months=[2])
    two_months = closed_duo(other, datetime.date(2019, 7, 15))
    assert offsets_in_use() == [2, 3, 6, 12]
    assert {(row.pk, row.offset_months) for row in follow_ups_due(Duo.objects.all(), today=TODAY)} == {
        (duo.pk, 3),
        (two_months.pk, 2),
    }
    # A corrected closure date moves the follow-ups (nothing is stored to update).
    Duo.objects.filter(pk=duo.pk).update(start_date=datetime.date(2018, 5, 1), end_date=datetime.date(2018, 11, 1))
    assert {row.pk for row in follow_ups_due(Duo.objects.all(), today=TODAY)} == {two_months.pk}
    # A reopened duo has no follow-up due.
    duo_reopen(duo=two_months, correction_reason="Closed by mistake.")
    assert list(follow_ups_due(Duo.objects.all(), today=TODAY)) == []
    # The programme drops its 3-month follow-up: a recorded one stays on the duo's page.
    record(duo, 3, date=datetime.date(2019, 6, 1))
    FollowUpOffset.objects.filter(programme=programme_a, months=3).delete()
    assert [row["months"] for row in duo_follow_ups(duo, today=TODAY)] == [3, 6, 12]
    assert {row.offset_months for row in follow_up_slots(Duo.objects.filter(pk=duo.pk))} == {6, 12}


def test_to_do_list_is_one_query_whatever_the_rows(programme_a, django_assert_num_queries):
    for index in range(30):
        closed_duo(programme_a, datetime.date(2019, 6, 1) + datetime.timedelta(days=index % 15))
    with django_assert_num_queries(2):  # the offsets in use, then the list
        rows = list(follow_ups_due(Duo.objects.all(), today=TODAY))
    assert len(rows) == 30
