"""``meeting_log_many`` and ``people_create_many``: several records judged as
``meeting_log`` / ``mentor_save`` / ``mentee_save`` judge them one after the
other, written at once, in a number of queries that does not grow with the
number of records."""

import datetime
from types import SimpleNamespace

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from simple_history.models import HistoricalRecords

from duos.models import Meeting, MeetingPlace, MeetingStatus, Mentee, Mentor, MigrationBackground
from duos.services import SAME_DAY_CODE, meeting_log, meeting_log_many, people_create_many
from reporting.models import MeetingMonth
from tests.factories import DuoFactory, MenteeFactory, MentorFactory, PartnerFactory, UserFactory

pytestmark = pytest.mark.django_db

START = datetime.date(2018, 9, 3)
TODAY = datetime.date(2019, 1, 15)


def item(day, **extra):
    return {"date": day, "duration_minutes": 60, "place": MeetingPlace.ONLINE, **extra}


def test_each_meeting_is_judged_after_the_ones_before_it():
    duo = DuoFactory(start_date=START)
    logged = meeting_log(duo=duo, date=START, duration_minutes=45, place=MeetingPlace.ONLINE, today=TODAY)
    day = START + datetime.timedelta(days=7)
    results = meeting_log_many(
        duo=duo,
        meetings=[
            item(START),  # the day of a recorded meeting, not confirmed
            item(START, confirm_same_day=True, reference="2"),
            item(day, reference="3"),
            item(day),  # the day of the one before, not confirmed
            item(day, status=MeetingStatus.CANCELLED, confirm_same_day=True),
            item(START - datetime.timedelta(days=1)),
            item(TODAY + datetime.timedelta(days=1)),
            item(day + datetime.timedelta(days=7), duration_minutes=0),
            item(day + datetime.timedelta(days=14), reference="3"),
        ],
        today=TODAY,
    )
    errors = [result for result in results if isinstance(result, ValidationError)]
    assert [type(result) for result in results] == [
        ValidationError,
        Meeting,
        Meeting,
        ValidationError,
        Meeting,
        ValidationError,
        ValidationError,
        ValidationError,
        ValidationError,
    ]
    assert errors[0].error_dict["date"][0].code == SAME_DAY_CODE
    assert errors[1].error_dict["date"][0].code == SAME_DAY_CODE
    assert errors[2].message_dict["date"] == ["A meeting cannot be before the duo started (03/09/2018)."]
    assert errors[3].message_dict["date"] == ["A meeting cannot be in the future."]
    assert "duration_minutes" in errors[4].message_dict
    assert errors[5].message_dict["reference"] == ["This duo already has a meeting with this reference."]
    stored = list(duo.meetings.order_by("pk").values_list("date", "status", "counts_for_cadence", "reference"))
    assert stored == [
        (START, MeetingStatus.HELD, True, ""),
        (START, MeetingStatus.HELD, False, "2"),  # the day counts once, for the first one
        (day, MeetingStatus.HELD, True, "3"),
        (day, MeetingStatus.CANCELLED, False, ""),
    ]
    assert results[1].pk and logged.pk < results[1].pk
    # The database's per-row triggers keep the cadence table: 2 counting days in September.
    assert MeetingMonth.objects.get(duo=duo, month=datetime.date(2018, 9, 1)).held_meetings == 2


def test_history_names_the_user_of_the_request():
    duo = DuoFactory(start_date=START)
    user = UserFactory(role="coordinator", partner=duo.partner)
    HistoricalRecords.context.request = SimpleNamespace(user=user)
    try:
        meeting_log_many(duo=duo, meetings=[item(START), item(START + datetime.timedelta(days=1))], today=TODAY)
    finally:
        del HistoricalRecords.context.request
    history = list(Meeting.history.filter(duo_id=duo.pk))
    assert len(history) == 2
    assert {(entry.history_type, entry.history_user) for entry in history} == {("+", user)}


@pytest.mark.parametrize(
    ("closed", "message"),
    [
        ({"closed": True}, "This duo is closed; it cannot take new meetings."),
        ({"status": "cancelled"}, "This duo was cancelled: its meetings are read-only."),
    ],
)
def test_a_duo_that_is_not_active_takes_none(closed, message):
    duo = DuoFactory(start_date=START, **closed)
    results = meeting_log_many(duo=duo, meetings=[item(START), item(START + datetime.timedelta(days=1))], today=TODAY)
    assert [result.messages for result in results] == [[message], [message]]
    assert not Meeting.objects.exists()


def test_queries_do_not_grow_with_the_meetings():
    def queries(count):
        duo = DuoFactory(start_date=START)
        meetings = [item(START + datetime.timedelta(days=day)) for day in range(count)]
        with CaptureQueriesContext(connection) as context:
            results = meeting_log_many(duo=duo, meetings=meetings, today=TODAY)
        assert all(isinstance(result, Meeting) for result in results)
        return len(context.captured_queries)

    assert queries(5) == queries(40)


def test_mentees_are_judged_as_mentee_save_judges_them():
    partner = PartnerFactory()
    MenteeFactory(partner=partner, jobseeker_number="12345678")
    people = [
        MenteeFactory.build(partner=partner, jobseeker_number="12345678"),
        MenteeFactory.build(partner=partner, jobseeker_number="22345678"),
        MenteeFactory.build(partner=partner, jobseeker_number="22345678"),
        MenteeFactory.build(partner=partner, jobseeker_number="32345678"),
        MenteeFactory.build(partner=partner, jobseeker_number="42345678", birth_date=datetime.date(1800, 1, 1)),
    ]
    results = people_create_many(people=people, backgrounds=[True, True, None, False, True])
    clash = ["This partner already has a mentee with this job-seeker number."]
    assert results[0].message_dict == {"jobseeker_number": clash}
    assert results[2].message_dict == {"jobseeker_number": clash}
    assert "birth_date" in results[4].message_dict
    assert results[1].pk and results[3].pk
    assert dict(MigrationBackground.objects.values_list("mentee__jobseeker_number", "has_migration_background")) == {
        "22345678": True,
        "32345678": False,
    }
    assert Mentee.history.filter(jobseeker_number__in=["22345678", "32345678"], history_type="+").count() == 2


def test_mentors_with_a_reference_taken_get_the_constraint_message():
    partner = PartnerFactory()
    MentorFactory(partner=partner, reference="M-1")
    results = people_create_many(
        people=[
            MentorFactory.build(partner=partner, reference="M-1"),
            MentorFactory.build(partner=partner, reference="M-2"),
            MentorFactory.build(partner=partner, reference="M-2"),
        ]
    )
    taken = ["This partner already has a mentor with this reference."]
    assert results[0].messages == taken and results[2].messages == taken
    assert Mentor.objects.filter(partner=partner).count() == 2


def test_queries_do_not_grow_with_the_people():
    def queries(count):
        partner = PartnerFactory()
        people = [MenteeFactory.build(partner=partner, jobseeker_number=f"{50000000 + n}") for n in range(count)]
        with CaptureQueriesContext(connection) as context:
            results = people_create_many(people=people, backgrounds=[True] * count)
        assert all(isinstance(result, Mentee) for result in results)
        return len(context.captured_queries)

    assert queries(5) == queries(40)
