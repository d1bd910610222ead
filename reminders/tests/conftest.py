import datetime

import pytest

from programmes.tests.world import use_fast_password_hasher
from tests.factories import DuoFactory, MeetingFactory, ProgrammeFactory

TODAY = datetime.date(2019, 9, 16)  # a Monday


@pytest.fixture(autouse=True)
def _fast_password_hasher(settings):
    use_fast_password_hasher(settings)


@pytest.fixture(autouse=True)
def _reminder_settings(settings):
    settings.REMINDER_NO_MEETING_DAYS = 30
    settings.REMINDER_WEEKLY_DAY = 1  # Monday
    settings.REMINDER_DIGEST_HOUR = 7
    settings.FOLLOW_UP_WINDOW_DAYS = 60
    settings.SITE_URL = "https://mentoring.example.org"


def day(text):
    return datetime.date.fromisoformat(text)


def meetings(duo, *dates):
    return [MeetingFactory(duo=duo, date=day(date)) for date in dates]


@pytest.fixture
def partner_a_work(partner_a):
    """Partner A's duos on 2019-09-16 (programme: 2 meetings a month), one of each kind:

    * ``behind``: active all of August, one meeting in it: behind cadence.
    * ``past_end``: planned end 2019-09-01, still active, meetings every week.
    * ``quiet``: last meeting 2019-08-10 (37 days ago): without a meeting; August
      not complete for it (started 2019-08-05), so not behind cadence.
    * ``fresh``: started 2019-09-02, no meeting yet, 14 days: in no list.
    * ``fine``: two meetings in August, one in September: in no list.
    * ``due``: closed 2019-06-10, its 3-month follow-up due 2019-09-10.
    * ``cancelled``: like ``behind`` but cancelled: in no list.
    """
    programme = ProgrammeFactory(partner=partner_a, min_meetings_per_month=2)
    behind = DuoFactory(programme=programme, start_date=day("2019-06-03"))
    meetings(behind, "2019-06-10", "2019-07-01", "2019-07-15", "2019-08-20", "2019-09-05")
    past_end = DuoFactory(programme=programme, start_date=day("2019-03-01"), planned_end_date=day("2019-09-01"))
    meetings(past_end, "2019-08-01", "2019-08-08", "2019-08-15", "2019-08-22", "2019-09-12")
    quiet = DuoFactory(programme=programme, start_date=day("2019-08-05"))
    meetings(quiet, "2019-08-10")
    fresh = DuoFactory(programme=programme, start_date=day("2019-09-02"))
    fine = DuoFactory(programme=programme, start_date=day("2019-07-01"))
    meetings(fine, "2019-08-05", "2019-08-19", "2019-09-09")
    due = DuoFactory(
        programme=programme,
        start_date=day("2018-12-10"),
        status="closed",
        end_date=day("2019-06-10"),
        closure_reason="completed",
    )
    cancelled = DuoFactory(programme=programme, start_date=day("2019-06-03"))
    meetings(cancelled, "2019-08-20")
    cancelled.status = "cancelled"
    cancelled.save()
    return {
        "programme": programme,
        "behind": behind,
        "past_end": past_end,
        "quiet": quiet,
        "fresh": fresh,
        "fine": fine,
        "due": due,
        "cancelled": cancelled,
    }
