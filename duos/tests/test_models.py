"""Database constraints: the database refuses what breaks a rule it can hold,
and ``full_clean`` reports it with a message a person can read."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from duos.models import Duo, Meeting, Mentee, Outcome
from tests.factories import DuoFactory, MeetingFactory, MenteeFactory, OutcomeFactory

pytestmark = pytest.mark.django_db


def assert_refused(write):
    with pytest.raises(IntegrityError), transaction.atomic():
        write()


def test_one_active_duo_per_mentee():
    duo = DuoFactory()
    second = Duo(
        partner=duo.partner,
        programme=duo.programme,
        mentor=duo.mentor,
        mentee=duo.mentee,
        start_date=duo.start_date,
        planned_end_date=duo.planned_end_date,
    )
    with pytest.raises(ValidationError) as exc:
        second.full_clean()
    assert "This mentee already has an active duo." in exc.value.messages
    assert_refused(second.save)
    assert Duo.objects.count() == 1


def test_a_closed_duo_does_not_block_a_new_one():
    closed = DuoFactory(closed=True)
    DuoFactory(mentee=closed.mentee, programme=closed.programme, mentor=closed.mentor)
    assert Duo.objects.count() == 2


def test_planned_end_after_start():
    duo = DuoFactory.build()
    duo.planned_end_date = duo.start_date
    duo.partner.save()
    with pytest.raises(ValidationError) as exc:
        duo.full_clean(exclude=["partner", "programme", "mentor", "mentee"])
    assert "The planned end must be after the start date." in exc.value.messages


def test_end_not_before_start():
    duo = DuoFactory(closed=True)
    assert_refused(lambda: Duo.objects.filter(pk=duo.pk).update(end_date=duo.start_date - datetime.timedelta(days=1)))


def test_closed_iff_end_date_and_reason():
    duo = DuoFactory()
    assert_refused(lambda: Duo.objects.filter(pk=duo.pk).update(status="closed"))
    assert_refused(lambda: Duo.objects.filter(pk=duo.pk).update(end_date=duo.planned_end_date))
    Duo.objects.filter(pk=duo.pk).update(status="closed", end_date=duo.planned_end_date, closure_reason="completed")
    assert Duo.objects.get(pk=duo.pk).status == "closed"


def test_meeting_duration_positive():
    meeting = MeetingFactory()
    assert_refused(lambda: Meeting.objects.filter(pk=meeting.pk).update(duration_minutes=0))


def test_one_primary_outcome_per_duo():
    outcome = OutcomeFactory()
    assert_refused(lambda: OutcomeFactory(duo=outcome.duo, is_primary=True))
    OutcomeFactory(duo=outcome.duo, is_primary=False, type="training")
    assert Outcome.objects.filter(duo=outcome.duo).count() == 2


def test_contract_type_iff_job():
    assert_refused(lambda: OutcomeFactory(type="job", contract_type=""))
    assert_refused(lambda: OutcomeFactory(type="training", contract_type="cdi"))


def test_contract_months_positive():
    assert_refused(lambda: OutcomeFactory(type="job", contract_type="cdd", contract_months=0))


def test_jobseeker_number_unique_per_partner():
    mentee = MenteeFactory()
    assert_refused(lambda: MenteeFactory(partner=mentee.partner, jobseeker_number=mentee.jobseeker_number))
    MenteeFactory(jobseeker_number=mentee.jobseeker_number)  # another partner may know the same job seeker
    assert Mentee.objects.filter(jobseeker_number=mentee.jobseeker_number).count() == 2


def test_duo_clean_keeps_one_partner():
    duo = DuoFactory()
    foreign = MenteeFactory()
    duo.mentee = foreign
    with pytest.raises(ValidationError) as exc:
        duo.full_clean()
    assert exc.value.message_dict["mentee"] == ["This mentee belongs to another partner than the programme."]
