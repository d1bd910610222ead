"""The bounds of duos.bounds, each through the service that writes the record:
the good case is written, the broken one is refused with the message a
coordinator reads and nothing is written."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from duos import bounds
from duos.models import ClosureReason, Duo, DuoStatus, Meeting, MeetingPlace, Mentee, Mentor, Outcome, OutcomeType
from duos.selectors import duo_cadence_by_month, duos_with_cadence
from duos.services import SAME_DAY_CODE, duo_close, duo_create, meeting_log, mentee_save, mentor_save
from tests.factories import DuoFactory, MeetingFactory, MenteeFactory, MentorFactory, ProgrammeFactory

pytestmark = pytest.mark.django_db

START = datetime.date(2018, 9, 3)  # planned end 2019-03-03 (6 months)
TODAY = datetime.date(2019, 3, 20)


def errors_of(exc_info, field):
    return exc_info.value.message_dict[field]


# --- birth dates -------------------------------------------------------------------


def new_mentor(partner, birth_date):
    return Mentor(partner=partner, first_name="Jean", last_name="Dupont", birth_date=birth_date)


def new_mentee(partner, **kwargs):
    fields = {"first_name": "Amina", "last_name": "Benali", "jobseeker_number": "12345678", "gender": "f"}
    fields.update({"birth_date": datetime.date(1995, 1, 1), **kwargs})
    return Mentee(partner=partner, **fields)


class TestBirthDate:
    def test_a_plausible_birth_date_is_saved(self, partner_a):
        assert mentor_save(mentor=new_mentor(partner_a, datetime.date(1960, 5, 17))).pk

    @pytest.mark.parametrize("kind", ["mentor", "mentee"])
    def test_born_in_the_future(self, partner_a, kind):
        next_year = timezone.localdate() + datetime.timedelta(days=365)
        with pytest.raises(ValidationError) as exc:
            if kind == "mentor":
                mentor_save(mentor=new_mentor(partner_a, next_year))
            else:
                mentee_save(mentee=new_mentee(partner_a, birth_date=next_year))
        assert errors_of(exc, "birth_date") == ["A birth date cannot be in the future."]
        assert not Mentor.objects.exists() and not Mentee.objects.exists()

    def test_born_in_1850(self, partner_a):
        with pytest.raises(ValidationError) as exc:
            mentor_save(mentor=new_mentor(partner_a, datetime.date(1850, 1, 1)))
        (message,) = errors_of(exc, "birth_date")
        assert message.startswith("Enter a birth date from 02/01/1899 to ")
        assert message.endswith("mentors and mentees are 15 to 100 years old when their duo starts.")
        assert not Mentor.objects.exists()

    def test_younger_than_15_today(self, partner_a):
        ten_years_ago = timezone.localdate().replace(year=timezone.localdate().year - 10, day=1)
        with pytest.raises(ValidationError) as exc:
            mentee_save(mentee=new_mentee(partner_a, birth_date=ten_years_ago))
        assert "15 to 100 years old" in errors_of(exc, "birth_date")[0]
        assert not Mentee.objects.exists()

    def test_age_at_the_duo_start(self, partner_a):
        programme = ProgrammeFactory(partner=partner_a)
        mentor = MentorFactory(partner=partner_a, birth_date=datetime.date(1958, 1, 1))
        young = MenteeFactory(partner=partner_a, birth_date=datetime.date(2003, 9, 4))  # 14 on 2018-09-03
        with pytest.raises(ValidationError) as exc:
            duo_create(programme=programme, mentor=mentor, mentee=young, start_date=START)
        assert errors_of(exc, "mentee") == ["The mentee is 14 on the start date; mentees are 15 to 100."]
        old = MentorFactory(partner=partner_a, birth_date=datetime.date(1917, 1, 1))  # 101
        with pytest.raises(ValidationError) as exc:
            duo_create(programme=programme, mentor=old, mentee=MenteeFactory(partner=partner_a), start_date=START)
        assert errors_of(exc, "mentor") == ["The mentor is 101 on the start date; mentors are 15 to 100."]
        assert not Duo.objects.exists()
        fifteen = MenteeFactory(partner=partner_a, birth_date=datetime.date(2003, 9, 3))  # 15 on the day
        assert duo_create(programme=programme, mentor=mentor, mentee=fifteen, start_date=START).pk

    def test_a_new_birth_date_must_fit_the_persons_duos(self, partner_a):
        duo = DuoFactory(programme__partner=partner_a, start_date=START)
        mentee = duo.mentee
        mentee.birth_date = datetime.date(2004, 1, 1)  # 14 at the duo's start, 15 or more today
        with pytest.raises(ValidationError) as exc:
            mentee_save(mentee=mentee)
        assert errors_of(exc, "birth_date") == [
            "With this birth date the person is 14 at the start of their duo of 03/09/2018; the minimum is 15."
        ]
        mentee.refresh_from_db()
        assert mentee.birth_date == datetime.date(1995, 3, 9)


# --- duo start ---------------------------------------------------------------------


class TestDuoStart:
    @pytest.fixture
    def people(self, partner_a):
        programme = ProgrammeFactory(partner=partner_a)
        return {
            "programme": programme,
            "mentor": MentorFactory(partner=partner_a),
            "mentee": MenteeFactory(partner=partner_a),
        }

    def test_up_to_31_days_ahead(self, people):
        duo = duo_create(**people, start_date=TODAY + datetime.timedelta(days=31), today=TODAY)
        assert duo.start_date == datetime.date(2019, 4, 20)

    def test_more_than_31_days_ahead_is_refused(self, people):
        with pytest.raises(ValidationError) as exc:
            duo_create(**people, start_date=TODAY + datetime.timedelta(days=32), today=TODAY)
        assert errors_of(exc, "start_date") == [
            "A duo is recorded at most 31 days before it starts: choose a start date up to 20/04/2019."
        ]
        assert not Duo.objects.exists()

    def test_the_allowance_is_a_setting(self, people, settings):
        settings.DUO_START_MAX_DAYS_AHEAD = 1
        with pytest.raises(ValidationError) as exc:
            duo_create(**people, start_date=TODAY + datetime.timedelta(days=2), today=TODAY)
        assert errors_of(exc, "start_date") == [
            "A duo is recorded at most 1 day before it starts: choose a start date up to 21/03/2019."
        ]

    @pytest.mark.parametrize("day", [datetime.date(9999, 7, 1), datetime.date(1999, 12, 31)])
    def test_outside_the_allowed_range(self, people, day):
        with pytest.raises(ValidationError) as exc:
            duo_create(**people, start_date=day)
        assert errors_of(exc, "start_date") == ["Enter a date from 01/01/2000 to 31/12/2099."]
        assert not Duo.objects.exists()


# --- meetings ------------------------------------------------------------------------


def log(duo, **kwargs):
    args = {"duo": duo, "date": START, "duration_minutes": 60, "place": MeetingPlace.ONLINE, "today": TODAY}
    return meeting_log(**{**args, **kwargs})


class TestMeetingDuration:
    @pytest.mark.parametrize("minutes", [1, 480])
    def test_within_bounds(self, minutes):
        assert log(DuoFactory(start_date=START), duration_minutes=minutes).pk

    @pytest.mark.parametrize("minutes", [0, 481, 32767])
    def test_out_of_bounds(self, minutes):
        with pytest.raises(ValidationError) as exc:
            log(DuoFactory(start_date=START), duration_minutes=minutes)
        assert "A meeting lasts from 1 to 480 minutes (8 hours)." in errors_of(exc, "duration_minutes")
        assert not Meeting.objects.exists()

    def test_meeting_date_outside_the_allowed_range(self):
        with pytest.raises(ValidationError) as exc:
            log(DuoFactory(start_date=START), date=datetime.date(9999, 7, 1))
        assert errors_of(exc, "date") == ["Enter a date from 01/01/2000 to 31/12/2099."]


class TestSecondMeetingOnADay:
    def test_needs_a_confirmation(self):
        duo = DuoFactory(start_date=START)
        log(duo)
        with pytest.raises(ValidationError) as exc:
            log(duo, duration_minutes=30)
        error = exc.value.error_dict["date"][0]
        assert error.code == SAME_DAY_CODE
        assert error.message == (
            "This duo already has a meeting on 03/09/2018. Tick the box below to record a second one on that day; "
            "the cadence counts it once."
        )
        assert Meeting.objects.count() == 1

    def test_confirmed_it_is_recorded_and_counts_once(self):
        duo = DuoFactory(start_date=datetime.date(2018, 9, 1))
        october = datetime.date(2018, 10, 1)
        log(duo, date=october)
        log(duo, date=october, confirm_same_day=True)
        log(duo, date=datetime.date(2018, 10, 15))
        assert Meeting.objects.count() == 3
        months = duo_cadence_by_month(duo, today=datetime.date(2018, 11, 5))
        assert [(m["month"], m["held"]) for m in months] == [
            (datetime.date(2018, 9, 1), 0),
            (october, 2),
        ]
        annotated = duos_with_cadence(Duo.objects.all(), today=datetime.date(2018, 11, 5)).get()
        assert annotated.cadence_held_last_month == 2

    def test_another_day_needs_nothing(self):
        duo = DuoFactory(start_date=START)
        log(duo)
        log(duo, date=START + datetime.timedelta(days=1))
        assert Meeting.objects.count() == 2


class TestNotes:
    def test_2000_characters(self):
        assert log(DuoFactory(start_date=START), note="x" * 2000).pk

    def test_2001_characters(self):
        with pytest.raises(ValidationError) as exc:
            log(DuoFactory(start_date=START), note="x" * 2001)
        assert errors_of(exc, "note") == ["A note has at most 2,000 characters; this one has 2001."]
        assert not Meeting.objects.exists()


# --- closure and outcome ---------------------------------------------------------------


def close(duo, **kwargs):
    args = {
        "duo": duo,
        "end_date": datetime.date(2019, 3, 1),
        "reason": ClosureReason.COMPLETED,
        "outcome_type": OutcomeType.JOB,
        "contract_type": "cdd",
        "contract_months": 12,
        "today": TODAY,
    }
    return duo_close(**{**args, **kwargs})


def assert_still_active(duo):
    duo.refresh_from_db()
    assert duo.status == DuoStatus.ACTIVE and duo.end_date is None
    assert not Outcome.objects.exists()


class TestOutcomeBounds:
    @pytest.mark.parametrize("months", [1, 60])
    def test_fixed_term_contract_within_bounds(self, months):
        duo = DuoFactory(start_date=START)
        close(duo, contract_months=months)
        assert duo.outcomes.get().contract_months == months

    @pytest.mark.parametrize("months", [0, 61, 5000])
    def test_fixed_term_contract_out_of_bounds(self, months):
        duo = DuoFactory(start_date=START)
        with pytest.raises(ValidationError) as exc:
            close(duo, contract_months=months)
        assert errors_of(exc, "contract_months") == ["A contract's length is from 1 to 60 months."]
        assert_still_active(duo)

    def test_a_cdi_has_no_length(self):
        duo = DuoFactory(start_date=START)
        with pytest.raises(ValidationError) as exc:
            close(duo, contract_type="cdi", contract_months=12)
        assert errors_of(exc, "contract_months") == ["A permanent contract (CDI) has no length: leave it empty."]
        assert_still_active(duo)
        close(duo, contract_type="cdi", contract_months=None)
        assert duo.outcomes.get().contract_months is None

    @pytest.mark.parametrize(
        "start", [datetime.date(2018, 8, 3), datetime.date(2020, 3, 1)]
    )  # a month before the duo's start; 12 months after its closure
    def test_job_start_within_bounds(self, start):
        duo = DuoFactory(start_date=START)
        close(duo, outcome_start_date=start)
        assert duo.outcomes.get().start_date == start

    @pytest.mark.parametrize("start", [datetime.date(2018, 8, 2), datetime.date(2020, 3, 2), datetime.date(2035, 1, 1)])
    def test_job_start_out_of_bounds(self, start):
        duo = DuoFactory(start_date=START)
        with pytest.raises(ValidationError) as exc:
            close(duo, outcome_start_date=start)
        assert errors_of(exc, "outcome_start_date") == [
            "The job starts from 03/08/2018 (a month before the duo started) to 01/03/2020 "
            "(12 months after its closure)."
        ]
        assert_still_active(duo)

    def test_job_start_outside_the_allowed_range(self):
        duo = DuoFactory(start_date=START)
        with pytest.raises(ValidationError) as exc:
            close(duo, outcome_start_date=datetime.date(9999, 7, 1))
        assert errors_of(exc, "outcome_start_date") == ["Enter a date from 01/01/2000 to 31/12/2099."]
        assert_still_active(duo)


class TestClosureBounds:
    @pytest.mark.parametrize("end", [datetime.date(2019, 2, 17), datetime.date(2019, 3, 17)])
    def test_completed_within_14_days_of_the_planned_end(self, end):
        duo = DuoFactory(start_date=START)
        close(duo, end_date=end)
        duo.refresh_from_db()
        assert (duo.status, duo.closure_reason) == (DuoStatus.CLOSED, ClosureReason.COMPLETED)

    def test_completed_four_months_early_is_refused(self):
        duo = DuoFactory(start_date=START)
        with pytest.raises(ValidationError) as exc:
            close(duo, end_date=datetime.date(2018, 11, 3))
        assert errors_of(exc, "reason") == [
            "A duo completes its planned term when it closes within 14 days of its planned end (03/03/2019), "
            "from 17/02/2019 to 17/03/2019. Choose a reason for ending early, or correct the closure date."
        ]
        assert_still_active(duo)

    def test_the_tolerance_is_programme_data(self):
        duo = DuoFactory(start_date=START, programme__completion_tolerance_days=30)
        close(duo, end_date=datetime.date(2019, 2, 1))
        duo.refresh_from_db()
        assert duo.closure_reason == ClosureReason.COMPLETED

    @pytest.mark.parametrize("outcome", [OutcomeType.NONE, OutcomeType.UNKNOWN])
    def test_found_a_job_needs_a_positive_outcome(self, outcome):
        duo = DuoFactory(start_date=START)
        with pytest.raises(ValidationError) as exc:
            close(duo, end_date=datetime.date(2018, 12, 1), reason=ClosureReason.EARLY_JOB, outcome_type=outcome)
        assert errors_of(exc, "outcome_type") == [
            "A duo that ended because the mentee found a job or training has a job, self-employment, FPI, "
            "training, internship or studies as its outcome."
        ]
        assert_still_active(duo)

    @pytest.mark.parametrize("outcome", [OutcomeType.TRAINING, OutcomeType.STUDIES, OutcomeType.SELF_EMPLOYMENT])
    def test_found_a_job_with_a_positive_outcome(self, outcome):
        duo = DuoFactory(start_date=START)
        close(duo, end_date=datetime.date(2018, 12, 1), reason=ClosureReason.EARLY_JOB, outcome_type=outcome)
        assert duo.outcomes.get().type == outcome

    def test_the_outcome_must_be_chosen(self):
        duo = DuoFactory(start_date=START)
        with pytest.raises(ValidationError) as exc:
            close(duo, outcome_type="")
        assert errors_of(exc, "outcome_type") == ["Choose the outcome."]
        assert_still_active(duo)

    def test_closure_note_is_bounded(self):
        duo = DuoFactory(start_date=START)
        with pytest.raises(ValidationError) as exc:
            close(duo, note="x" * 2001)
        assert errors_of(exc, "note") == ["A note has at most 2,000 characters; this one has 2001."]
        assert_still_active(duo)

    def test_closure_date_outside_the_allowed_range(self):
        duo = DuoFactory(start_date=START)
        with pytest.raises(ValidationError) as exc:
            close(duo, end_date=datetime.date(9999, 7, 1))
        assert errors_of(exc, "end_date") == ["Enter a date from 01/01/2000 to 31/12/2099."]
        assert_still_active(duo)


# --- job-seeker number ---------------------------------------------------------------


class TestJobseekerNumber:
    @pytest.mark.parametrize("number", ["12345", "123456789012"])
    def test_the_default_format(self, partner_a, number):
        assert mentee_save(mentee=new_mentee(partner_a, jobseeker_number=number)).pk

    @pytest.mark.parametrize("number", ["abc-!!", "1234", "1234567890123", "123 456"])
    def test_refused_with_the_expected_format(self, partner_a, number):
        with pytest.raises(ValidationError) as exc:
            mentee_save(mentee=new_mentee(partner_a, jobseeker_number=number))
        assert errors_of(exc, "jobseeker_number") == [
            "Enter the job-seeker number as 5 to 12 digits, without spaces or other signs."
        ]
        assert not Mentee.objects.exists()

    def test_the_format_is_a_setting(self, partner_a, settings):
        settings.JOBSEEKER_NUMBER_PATTERN = r"BE[0-9]{6}"
        settings.JOBSEEKER_NUMBER_FORMAT = "BE followed by 6 digits"
        with pytest.raises(ValidationError) as exc:
            mentee_save(mentee=new_mentee(partner_a, jobseeker_number="12345678"))
        assert errors_of(exc, "jobseeker_number") == ["Enter the job-seeker number as BE followed by 6 digits."]
        assert mentee_save(mentee=new_mentee(partner_a, jobseeker_number="BE123456")).pk

    def test_a_pattern_without_description_is_named(self, settings):
        settings.JOBSEEKER_NUMBER_PATTERN = r"[A-Z]{2}[0-9]{4}"
        with pytest.raises(ValidationError) as exc:
            bounds.validate_jobseeker_number("1234")
        assert exc.value.messages == ["Enter the job-seeker number as [A-Z]{2}[0-9]{4}."]


def test_bounds_are_also_database_constraints():
    """The bounds that need no date of today are CHECK constraints as well, so
    no path around the services (a bulk load, SQL) stores them."""
    from django.db import IntegrityError, transaction

    duo = DuoFactory(start_date=START)
    with pytest.raises(IntegrityError), transaction.atomic():
        MeetingFactory(duo=duo, duration_minutes=481)
    closed = DuoFactory(start_date=START, closed=True)
    with pytest.raises(IntegrityError), transaction.atomic():
        Outcome.objects.create(duo=closed, type="job", contract_type="cdd", contract_months=61, recorded_on=START)
    with pytest.raises(IntegrityError), transaction.atomic():
        Outcome.objects.create(duo=closed, type="job", contract_type="cdi", contract_months=12, recorded_on=START)
