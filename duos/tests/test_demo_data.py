"""`load_demo_data` reproduces the 2018 press release's counts and is idempotent."""

import datetime
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db.models import Count, F, Max, Q

from duos.enrolments import double_enrolments
from duos.models import POSITIVE_OUTCOME_TYPES, Duo, Meeting, Mentee, Mentor, Outcome
from programmes.models import FundingConvention, Partner
from tests.meeting_months import counted, kept, one_counting_meeting_per_held_day

PRESS_DATE = datetime.date(2017, 12, 31)


def table_counts():
    return {
        model.__name__: model.objects.count()
        for model in (Partner, FundingConvention, Mentor, Mentee, Duo, Meeting, Outcome)
    }


def cohort(partner, convention=None):
    """Created, closed, jobs, CDI, CDD, self-employed as at 31 Dec 2017, counted by hand-written filters."""
    duos = Duo.objects.filter(partner__slug=partner, start_date__lte=PRESS_DATE)
    if convention:
        duos = duos.filter(convention__slug=convention)
    closed = duos.filter(status="closed", end_date__lte=PRESS_DATE)
    outcomes = Outcome.objects.filter(duo__in=closed, is_primary=True).aggregate(
        jobs=Count("pk", filter=Q(type="job")),
        cdi=Count("pk", filter=Q(type="job", contract_type="cdi")),
        cdd=Count("pk", filter=Q(type="job", contract_type="cdd")),
        self_employed=Count("pk", filter=Q(type="self_employment")),
    )
    return {"created": duos.count(), "closed": closed.count(), **outcomes}


@pytest.mark.django_db
def test_demo_data_reproduces_the_press_release_and_loads_once():
    out = StringIO()
    call_command("load_demo_data", stdout=out)
    assert "demo-mentoring" in out.getvalue()
    first = table_counts()

    team4job = cohort("team4job")
    assert (team4job["created"], team4job["closed"], team4job["jobs"]) == (171, 152, 77)
    assert (team4job["cdi"], team4job["self_employed"]) == (25, 8)

    duo_actiris = cohort("duo-for-a-job", "actiris-2013-2017")
    assert (duo_actiris["created"], duo_actiris["closed"], duo_actiris["jobs"]) == (471, 383, 212)
    assert (duo_actiris["cdi"], duo_actiris["cdd"]) == (82, 130)

    duo_all = cohort("duo-for-a-job")
    assert duo_all["created"] > 1000
    assert round(100 * duo_all["jobs"] / duo_all["closed"]) == 53  # 477 / 900

    actiris_closed = Duo.objects.filter(convention__slug="actiris-2013-2017", status="closed", end_date__lte=PRESS_DATE)
    positive = Outcome.objects.filter(
        duo__in=actiris_closed, type__in=["job", "self_employment", "fpi", "training", "internship", "studies"]
    ).count()
    assert (positive, actiris_closed.count()) == (396, 535)  # 74.0 %

    convention = FundingConvention.objects.get(slug="actiris-2018-2019")
    assert convention.amount == 1762500 and convention.target_duos_per_year == 855
    assert Duo.objects.filter(convention=convention).count() > 1000

    # Every closed duo has one primary outcome; active ones none.
    assert not Duo.objects.filter(status="closed").exclude(outcomes__is_primary=True).exists()
    assert not Outcome.objects.filter(duo__status="active").exists()

    # The demo data keeps the bounds of duos/bounds.py (it is bulk-created, not
    # saved through the services): the closure reasons agree with the dates and
    # outcomes, job-seeker numbers have the default format.
    completed = Duo.objects.filter(status="closed", closure_reason="completed").values_list(
        "end_date", "planned_end_date", "programme__completion_tolerance_days"
    )
    assert all(abs((end - planned).days) <= tolerance for end, planned, tolerance in completed)
    early_job = Outcome.objects.filter(duo__closure_reason="early_job", is_primary=True)
    assert not early_job.exclude(type__in=POSITIVE_OUTCOME_TYPES).exists()
    assert not Mentee.objects.exclude(jobseeker_number__regex=r"^[0-9]{5,12}$").exists()
    assert not Outcome.objects.filter(start_date__gt=F("duo__end_date") + datetime.timedelta(days=365)).exists()
    # Each duo's last meeting date is its last held meeting's (the database keeps it).
    last_held = Max("meetings__date", filter=Q(meetings__status="held"))
    assert Duo.objects.filter(last_meeting_date__isnull=False).exists()
    assert all(row.last == row.last_meeting_date for row in Duo.objects.annotate(last=last_held))

    # The cadence table follows the meetings (bulk-created: the triggers count them).
    assert one_counting_meeting_per_held_day()
    assert kept() == counted() != {}

    # A couple of synthetic job seekers enrolled at both partners at once, for
    # Actiris' "double enrolments" list (no record added: the counts above hold).
    doubles = double_enrolments(Duo.objects.all())
    assert doubles.count() == 4
    assert {duo.partner.slug for duo in doubles} == {"duo-for-a-job", "team4job"}

    # Demo accounts log in with the documented password.
    users = get_user_model().objects.filter(username__in=["staff", "manager", "duo", "team4job", "admin"])
    assert len(users) == 5
    assert all(user.check_password("demo-mentoring") for user in users)
    roles = {u.username: (getattr(getattr(u, "membership", None), "role", None)) for u in users}
    assert roles == {
        "staff": "staff",
        "manager": "manager",
        "duo": "coordinator",
        "team4job": "coordinator",
        "admin": None,
    }

    call_command("load_demo_data", stdout=StringIO())
    assert table_counts() == first

    call_command("load_demo_data", "--reset", stdout=StringIO())
    assert table_counts() == first
