"""Service rules: one test for the good case, one per broken rule that checks
the message a coordinator reads and that nothing was written."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from duos.models import ClosureReason, Duo, DuoStatus, Meeting, MeetingPlace, MeetingStatus, Outcome, OutcomeType
from duos.services import age_on, duo_close, duo_create, meeting_delete, meeting_log, meeting_update
from programmes.models import MeetingPlaceRule
from tests.factories import (
    ConventionShareFactory,
    DuoFactory,
    FundingConventionFactory,
    MeetingFactory,
    MenteeFactory,
    MentorFactory,
    MigrationBackgroundFactory,
    PartnerFactory,
    ProgrammeFactory,
)

pytestmark = pytest.mark.django_db

START = datetime.date(2018, 9, 3)
TODAY = datetime.date(2019, 1, 15)


def messages(exc_info, field):
    return exc_info.value.message_dict[field]


@pytest.fixture
def duo_programme():
    """DUO for a JOB's rules: mentees 18-29 with a migration background, mentors 50+."""
    return ProgrammeFactory(
        name="DUO Brussels",
        mentee_min_age=18,
        mentee_max_age=29,
        mentor_min_age=50,
        migration_background_required=True,
        max_active_duos_per_mentor=1,
        min_meetings_per_month=4,
    )


def eligible_people(programme):
    mentor = MentorFactory(partner=programme.partner, birth_date=datetime.date(1960, 1, 1))
    mentee = MenteeFactory(partner=programme.partner, birth_date=datetime.date(1995, 1, 1))
    MigrationBackgroundFactory(mentee=mentee, has_migration_background=True)
    return mentor, mentee


class TestAgeOn:
    def test_birthday_counts_on_the_day(self):
        assert age_on(datetime.date(2000, 9, 3), datetime.date(2018, 9, 3)) == 18
        assert age_on(datetime.date(2000, 9, 4), datetime.date(2018, 9, 3)) == 17


class TestDuoCreate:
    def test_eligible_duo_is_created_with_planned_end_from_programme(self, duo_programme):
        mentor, mentee = eligible_people(duo_programme)
        duo = duo_create(programme=duo_programme, mentor=mentor, mentee=mentee, start_date=START)
        assert duo.status == DuoStatus.ACTIVE
        assert duo.partner == duo_programme.partner
        assert duo.planned_end_date == datetime.date(2019, 3, 3)
        assert Duo.objects.count() == 1

    def test_mentee_too_old(self, duo_programme):
        mentor, mentee = eligible_people(duo_programme)
        mentee.birth_date = datetime.date(1988, 9, 3)  # 30 on the start date
        mentee.save()
        with pytest.raises(ValidationError) as exc:
            duo_create(programme=duo_programme, mentor=mentor, mentee=mentee, start_date=START)
        assert messages(exc, "mentee") == ["The mentee is 30 on the start date; DUO Brussels takes mentees up to 29."]
        assert Duo.objects.count() == 0

    def test_mentee_too_young(self, duo_programme):
        mentor, mentee = eligible_people(duo_programme)
        mentee.birth_date = datetime.date(2001, 1, 1)
        mentee.save()
        with pytest.raises(ValidationError) as exc:
            duo_create(programme=duo_programme, mentor=mentor, mentee=mentee, start_date=START)
        assert messages(exc, "mentee") == ["The mentee is 17 on the start date; DUO Brussels takes mentees from 18."]
        assert Duo.objects.count() == 0

    def test_mentor_too_young(self, duo_programme):
        mentor, mentee = eligible_people(duo_programme)
        mentor.birth_date = datetime.date(1975, 1, 1)
        mentor.save()
        with pytest.raises(ValidationError) as exc:
            duo_create(programme=duo_programme, mentor=mentor, mentee=mentee, start_date=START)
        assert messages(exc, "mentor") == ["The mentor is 43 on the start date; DUO Brussels takes mentors from 50."]
        assert Duo.objects.count() == 0

    def test_migration_background_required(self, duo_programme):
        mentor, mentee = eligible_people(duo_programme)
        mentee.migration_background.delete()
        with pytest.raises(ValidationError) as exc:
            duo_create(programme=duo_programme, mentor=mentor, mentee=mentee, start_date=START)
        assert messages(exc, "mentee") == [
            "DUO Brussels is for mentees with a migration background, and none is recorded for this mentee."
        ]
        assert Duo.objects.count() == 0

    def test_migration_background_not_required_elsewhere(self):
        programme = ProgrammeFactory(migration_background_required=False)
        duo = duo_create(
            programme=programme,
            mentor=MentorFactory(partner=programme.partner),
            mentee=MenteeFactory(partner=programme.partner),
            start_date=START,
        )
        assert duo.pk

    def test_mentee_with_an_active_duo(self, duo_programme):
        mentor, mentee = eligible_people(duo_programme)
        DuoFactory(programme=duo_programme, mentee=mentee)
        other_mentor = MentorFactory(partner=duo_programme.partner)
        with pytest.raises(ValidationError) as exc:
            duo_create(programme=duo_programme, mentor=other_mentor, mentee=mentee, start_date=START)
        assert messages(exc, "mentee") == ["This mentee already has an active duo; close it before starting another."]
        assert Duo.objects.count() == 1

    def test_mentee_whose_previous_duo_is_closed_may_start_again(self, duo_programme):
        mentor, mentee = eligible_people(duo_programme)
        DuoFactory(
            programme=duo_programme, mentee=mentee, mentor=mentor, closed=True, start_date=datetime.date(2018, 1, 1)
        )
        duo = duo_create(programme=duo_programme, mentor=mentor, mentee=mentee, start_date=START)
        assert duo.pk

    def test_mentor_over_committed(self, duo_programme):
        mentor, mentee = eligible_people(duo_programme)
        DuoFactory(programme=duo_programme, mentor=mentor)
        with pytest.raises(ValidationError) as exc:
            duo_create(programme=duo_programme, mentor=mentor, mentee=mentee, start_date=START)
        assert messages(exc, "mentor") == ["This mentor already runs 1 active duo, the most DUO Brussels allows."]
        assert Duo.objects.count() == 1

    def test_mentor_capacity_is_programme_data(self):
        programme = ProgrammeFactory(max_active_duos_per_mentor=2)
        mentor = MentorFactory(partner=programme.partner)
        DuoFactory(programme=programme, mentor=mentor)
        duo = duo_create(
            programme=programme, mentor=mentor, mentee=MenteeFactory(partner=programme.partner), start_date=START
        )
        assert duo.pk

    def test_people_of_another_partner(self, duo_programme):
        other = PartnerFactory()
        mentor = MentorFactory(partner=other)
        mentee = MenteeFactory(partner=other)
        MigrationBackgroundFactory(mentee=mentee)
        with pytest.raises(ValidationError) as exc:
            duo_create(programme=duo_programme, mentor=mentor, mentee=mentee, start_date=START)
        assert messages(exc, "mentor") == ["This mentor belongs to another partner than the programme."]
        assert messages(exc, "mentee") == ["This mentee belongs to another partner than the programme."]
        assert Duo.objects.count() == 0

    def test_inactive_programme(self, duo_programme):
        mentor, mentee = eligible_people(duo_programme)
        duo_programme.is_active = False
        duo_programme.save()
        with pytest.raises(ValidationError) as exc:
            duo_create(programme=duo_programme, mentor=mentor, mentee=mentee, start_date=START)
        assert messages(exc, "programme") == ["This programme no longer takes new duos."]
        assert Duo.objects.count() == 0

    def test_convention_must_cover_the_start_date(self, duo_programme):
        mentor, mentee = eligible_people(duo_programme)
        convention = FundingConventionFactory(
            period_start=datetime.date(2018, 6, 1), period_end=datetime.date(2019, 12, 31)
        )
        with pytest.raises(ValidationError) as exc:
            duo_create(
                programme=duo_programme,
                mentor=mentor,
                mentee=mentee,
                start_date=datetime.date(2018, 5, 31),
                convention=convention,
            )
        assert messages(exc, "convention") == [
            "The start date is outside the convention's period (01/06/2018 to 31/12/2019)."
        ]
        assert Duo.objects.count() == 0

    def test_convention_split_must_include_the_partner(self, duo_programme):
        mentor, mentee = eligible_people(duo_programme)
        convention = FundingConventionFactory()
        ConventionShareFactory(convention=convention, partner=PartnerFactory())
        with pytest.raises(ValidationError) as exc:
            duo_create(programme=duo_programme, mentor=mentor, mentee=mentee, start_date=START, convention=convention)
        assert messages(exc, "convention") == ["This convention does not fund this partner."]
        ConventionShareFactory(convention=convention, partner=duo_programme.partner)
        duo = duo_create(programme=duo_programme, mentor=mentor, mentee=mentee, start_date=START, convention=convention)
        assert duo.convention == convention


class TestMeetingLog:
    def test_meeting_is_logged(self):
        duo = DuoFactory(start_date=START)
        meeting = meeting_log(
            duo=duo, date=START, duration_minutes=60, place=MeetingPlace.ONLINE, note="CV", today=TODAY
        )
        assert meeting.pk and meeting.status == MeetingStatus.HELD

    @pytest.mark.parametrize(
        ("day", "message"),
        [
            (START - datetime.timedelta(days=1), "A meeting cannot be before the duo started (03/09/2018)."),
            (TODAY + datetime.timedelta(days=1), "A meeting cannot be in the future."),
        ],
    )
    def test_meeting_date_rules(self, day, message):
        duo = DuoFactory(start_date=START)
        with pytest.raises(ValidationError) as exc:
            meeting_log(duo=duo, date=day, duration_minutes=60, place=MeetingPlace.ONLINE, today=TODAY)
        assert messages(exc, "date") == [message]
        assert Meeting.objects.count() == 0

    def test_closed_duo_takes_no_meeting(self):
        duo = DuoFactory(start_date=START, closed=True)
        with pytest.raises(ValidationError) as exc:
            meeting_log(duo=duo, date=START, duration_minutes=60, place=MeetingPlace.ONLINE, today=TODAY)
        assert exc.value.messages == ["This duo is closed; it cannot take new meetings."]
        assert Meeting.objects.count() == 0

    def test_duration_must_be_positive(self):
        duo = DuoFactory(start_date=START)
        with pytest.raises(ValidationError) as exc:
            meeting_log(duo=duo, date=START, duration_minutes=0, place=MeetingPlace.ONLINE, today=TODAY)
        assert "duration_minutes" in exc.value.message_dict
        assert Meeting.objects.count() == 0

    def test_workplace_rule_applies_to_held_meetings(self):
        programme = ProgrammeFactory(name="Team4Job", meeting_place=MeetingPlaceRule.MENTOR_WORKPLACE)
        duo = DuoFactory(programme=programme, start_date=START)
        with pytest.raises(ValidationError) as exc:
            meeting_log(duo=duo, date=START, duration_minutes=60, place=MeetingPlace.PUBLIC_PLACE, today=TODAY)
        assert messages(exc, "place") == ["Team4Job meetings take place at the mentor's workplace."]
        # A cancelled meeting may be recorded wherever it was planned.
        meeting_log(
            duo=duo,
            date=START,
            duration_minutes=60,
            place=MeetingPlace.PUBLIC_PLACE,
            status=MeetingStatus.CANCELLED,
            today=TODAY,
        )
        assert Meeting.objects.count() == 1

    def test_update_keeps_the_rules_and_delete_removes(self):
        meeting = MeetingFactory(duo=DuoFactory(start_date=START), date=START, place=MeetingPlace.ONLINE)
        with pytest.raises(ValidationError):
            meeting_update(
                meeting=meeting,
                date=TODAY + datetime.timedelta(days=3),
                duration_minutes=30,
                place=MeetingPlace.ONLINE,
                status=MeetingStatus.HELD,
                today=TODAY,
            )
        meeting.refresh_from_db()
        assert meeting.date == START
        meeting_update(
            meeting=meeting, date=TODAY, duration_minutes=30, place=MeetingPlace.ONLINE, status="held", today=TODAY
        )
        meeting.refresh_from_db()
        assert (meeting.date, meeting.duration_minutes) == (TODAY, 30)
        meeting_delete(meeting=meeting)
        assert Meeting.objects.count() == 0


class TestDuoClose:
    def close(self, duo, **kwargs):
        args = dict(
            duo=duo,
            end_date=datetime.date(2019, 1, 10),
            reason=ClosureReason.EARLY_JOB,
            outcome_type=OutcomeType.JOB,
            contract_type="cdi",
            employer="Example SA",
            today=TODAY,
        )
        args.update(kwargs)
        return duo_close(**args)

    def test_close_with_a_cdi(self):
        duo = DuoFactory(start_date=START)
        self.close(duo)
        duo.refresh_from_db()
        assert duo.status == DuoStatus.CLOSED and duo.end_date == datetime.date(2019, 1, 10)
        outcome = duo.outcomes.get()
        assert (outcome.type, outcome.contract_type, outcome.is_primary) == ("job", "cdi", True)

    def test_non_job_outcome_drops_contract_fields(self):
        duo = DuoFactory(start_date=START)
        self.close(duo, outcome_type=OutcomeType.TRAINING, contract_type="cdd", contract_months=3)
        outcome = duo.outcomes.get()
        assert (outcome.contract_type, outcome.contract_months) == ("", None)

    @pytest.mark.parametrize(
        ("kwargs", "field", "message"),
        [
            (
                {"end_date": datetime.date(2018, 9, 1)},
                "end_date",
                "The end date cannot be before the duo started (03/09/2018).",
            ),
            ({"end_date": datetime.date(2019, 1, 16)}, "end_date", "The end date cannot be in the future."),
            ({"contract_type": ""}, "contract_type", "Choose the contract type of the job."),
            ({"contract_type": "cdd"}, "contract_months", "Give the contract length in months (only a CDI has none)."),
            (
                {"contract_type": "cdd", "contract_months": 0},
                "contract_months",
                "A contract's length is from 1 to 60 months.",
            ),
            ({"reason": ""}, "reason", "Say why the duo ends."),
        ],
    )
    def test_close_rules(self, kwargs, field, message):
        duo = DuoFactory(start_date=START)
        with pytest.raises(ValidationError) as exc:
            self.close(duo, **kwargs)
        assert message in messages(exc, field)
        duo.refresh_from_db()
        assert duo.status == DuoStatus.ACTIVE and duo.end_date is None
        assert Outcome.objects.count() == 0

    def test_end_date_not_before_last_meeting(self):
        duo = DuoFactory(start_date=START)
        MeetingFactory(duo=duo, date=datetime.date(2019, 1, 12))
        with pytest.raises(ValidationError) as exc:
            self.close(duo)
        assert messages(exc, "end_date") == ["A meeting is recorded on 12/01/2019, after this end date."]
        assert Outcome.objects.count() == 0

    def test_closed_duo_cannot_be_closed_again(self):
        duo = DuoFactory(start_date=START)
        self.close(duo)
        with pytest.raises(ValidationError) as exc:
            self.close(duo)
        assert exc.value.messages == ["This duo is already closed."]
        assert Outcome.objects.count() == 1

    def test_closed_duo_takes_no_new_meeting(self):
        duo = DuoFactory(start_date=START)
        self.close(duo)
        duo.refresh_from_db()
        with pytest.raises(ValidationError):
            meeting_log(duo=duo, date=datetime.date(2019, 1, 5), duration_minutes=60, place="online", today=TODAY)
        assert Meeting.objects.count() == 0
