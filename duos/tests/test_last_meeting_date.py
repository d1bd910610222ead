"""``Duo.last_meeting_date``: the date of the duo's last held meeting, kept by
the database (``duos.database_rules``) whoever writes the meetings: the
services (log, edit, delete, a meeting cancelled or held again), the duo's
corrections, a duo saved from a stale copy, the generators, the data
migration's fill. The duo list sorts on it."""

import datetime

import pytest
from django.db import connection
from django.db.models import Max, Q
from django.urls import reverse

from duos import database_rules
from duos.models import ClosureReason, Duo, Meeting, MeetingPlace, MeetingStatus, OutcomeType
from duos.services import duo_cancel, duo_close, duo_reopen, meeting_delete, meeting_log, meeting_update
from tests.factories import DuoFactory, MeetingFactory

pytestmark = pytest.mark.django_db

START = datetime.date(2018, 9, 3)
TODAY = datetime.date(2019, 1, 15)
REASON = "Closed by mistake: the mentee is still looking, the coordinator confirmed it on the phone."


def stored(duo):
    return Duo.objects.values_list("last_meeting_date", flat=True).get(pk=duo.pk)


def computed_everywhere_right():
    """Whether every duo's stored date is the last of its held meetings."""
    last = Duo.objects.annotate(last=Max("meetings__date", filter=Q(meetings__status=MeetingStatus.HELD)))
    return all(duo.last == duo.last_meeting_date for duo in last.only("last_meeting_date"))


def log(duo, day, **kwargs):
    return meeting_log(
        duo=duo, date=day, duration_minutes=60, place=MeetingPlace.ONLINE, today=TODAY, confirm_same_day=True, **kwargs
    )


def update(meeting, **changes):
    values = {
        "date": meeting.date,
        "duration_minutes": meeting.duration_minutes,
        "place": meeting.place,
        "status": meeting.status,
        **changes,
    }
    return meeting_update(meeting=meeting, today=TODAY, **values)


def test_logging_meetings_keeps_the_last_held_one():
    duo = DuoFactory(start_date=START)
    assert stored(duo) is None
    log(duo, datetime.date(2018, 10, 1))
    assert stored(duo) == datetime.date(2018, 10, 1)
    log(duo, datetime.date(2018, 9, 20))  # an earlier meeting entered late changes nothing
    assert stored(duo) == datetime.date(2018, 10, 1)
    log(duo, datetime.date(2018, 11, 5), status=MeetingStatus.CANCELLED)  # a cancelled one does not count
    assert stored(duo) == datetime.date(2018, 10, 1)
    log(duo, datetime.date(2018, 11, 12))
    assert stored(duo) == datetime.date(2018, 11, 12)


def test_editing_cancelling_holding_again_and_deleting_a_meeting():
    duo = DuoFactory(start_date=START)
    log(duo, datetime.date(2018, 10, 1))
    last = log(duo, datetime.date(2018, 10, 15))

    update(last, date=datetime.date(2018, 12, 3))
    assert stored(duo) == datetime.date(2018, 12, 3)
    last.refresh_from_db()
    update(last, status=MeetingStatus.CANCELLED)
    assert stored(duo) == datetime.date(2018, 10, 1)
    last.refresh_from_db()
    update(last, status=MeetingStatus.HELD)
    assert stored(duo) == datetime.date(2018, 12, 3)
    last.refresh_from_db()
    update(last, duration_minutes=90)  # not the date nor the status: unchanged
    assert stored(duo) == datetime.date(2018, 12, 3)

    meeting_delete(meeting=last)
    assert stored(duo) == datetime.date(2018, 10, 1)
    meeting_delete(meeting=Meeting.objects.get(duo=duo))
    assert stored(duo) is None


def test_corrections_and_a_stale_copy_of_the_duo_keep_it():
    duo = DuoFactory(start_date=START)
    stale = Duo.objects.get(pk=duo.pk)  # read before any meeting
    log(duo, datetime.date(2018, 10, 1))
    stale.save()  # writes last_meeting_date = None from memory: the database keeps its own
    assert stored(duo) == datetime.date(2018, 10, 1)
    Duo.objects.filter(pk=duo.pk).update(last_meeting_date=datetime.date(2030, 1, 1))
    assert stored(duo) == datetime.date(2018, 10, 1)

    duo_close(
        duo=duo,
        end_date=datetime.date(2019, 1, 10),
        reason=ClosureReason.EARLY_JOB,
        outcome_type=OutcomeType.JOB,
        contract_type="cdi",
        employer="Example SA",
        today=TODAY,
    )
    duo_reopen(duo=duo, correction_reason=REASON)
    duo_cancel(duo=Duo.objects.get(pk=duo.pk), correction_reason=REASON)
    assert stored(duo) == datetime.date(2018, 10, 1)


def test_a_meeting_moved_to_another_duo_updates_both():
    first, second = DuoFactory(start_date=START), DuoFactory(start_date=START)
    meeting = MeetingFactory(duo=first, date=datetime.date(2018, 10, 1))
    assert (stored(first), stored(second)) == (datetime.date(2018, 10, 1), None)
    Meeting.objects.filter(pk=meeting.pk).update(duo=second)
    assert (stored(first), stored(second)) == (None, datetime.date(2018, 10, 1))


def test_bulk_writes_are_kept_too():
    duos = [DuoFactory(start_date=START) for _ in range(3)]
    Meeting.objects.bulk_create(
        Meeting(duo=duo, date=START + datetime.timedelta(days=offset), duration_minutes=60, place="online")
        for duo in duos
        for offset in (7, 14, 21)
    )
    assert {stored(duo) for duo in duos} == {START + datetime.timedelta(days=21)}
    Meeting.objects.filter(date=START + datetime.timedelta(days=21)).update(status=MeetingStatus.CANCELLED)
    assert {stored(duo) for duo in duos} == {START + datetime.timedelta(days=14)}
    Meeting.objects.filter(duo__in=duos).delete()
    assert {stored(duo) for duo in duos} == {None}


def test_the_migrations_fill_sets_every_duo():
    duo = DuoFactory(start_date=START)
    MeetingFactory(duo=duo, date=datetime.date(2018, 10, 1))
    MeetingFactory(duo=duo, date=datetime.date(2018, 11, 1), status=MeetingStatus.CANCELLED)
    empty = DuoFactory(start_date=START)
    # As before the migration: no triggers, the column not filled.
    database_rules.drop_last_meeting_triggers(connection)
    try:
        Duo.objects.update(last_meeting_date=datetime.date(2030, 1, 1))
        database_rules.fill_last_meeting_dates(connection)
    finally:
        database_rules.install()
    assert (stored(duo), stored(empty)) == (datetime.date(2018, 10, 1), None)


def test_the_generator_sets_every_duo():
    from django.core.management import call_command

    call_command("generate_scale_data", duos=30, partners=2, seed=3, verbosity=0)
    assert Duo.objects.filter(last_meeting_date__isnull=False).exists()
    assert computed_everywhere_right()


def test_the_duo_list_sorts_on_it(client, coordinator_a, partner_a):
    from tests.factories import ProgrammeFactory

    programme = ProgrammeFactory(partner=partner_a)
    days = [datetime.date(2018, 10, 1), datetime.date(2018, 12, 1), None, datetime.date(2018, 11, 1)]
    duos = []
    for day in days:
        duo = DuoFactory(programme=programme, start_date=START)
        if day:
            MeetingFactory(duo=duo, date=day)
        duos.append(duo)
    client.force_login(coordinator_a)
    response = client.get(reverse("duos:duo_list"), {"o": "last_meeting"})
    listed = [duo.pk for duo in response.context["object_list"]]
    # Oldest first (where the duo without a meeting goes is the database's choice).
    dated = [pk for pk in listed if pk != duos[2].pk]
    assert dated == [duos[0].pk, duos[3].pk, duos[1].pk]
