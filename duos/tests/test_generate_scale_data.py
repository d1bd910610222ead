"""``generate_scale_data`` on a small scale: the rows it writes keep every rule
the models and services hold (run on SQLite and on PostgreSQL, where it uses COPY)."""

import datetime

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db.models import Count, F, Max, Min, Q

from duos.models import Duo, DuoStatus, Meeting, Mentee, Outcome, OutcomeType
from duos.services import age_on, planned_end_for
from programmes.models import FundingConvention, Partner
from tests.factories import DuoFactory, UserFactory
from tests.meeting_months import counted, kept, one_counting_meeting_per_held_day

AS_OF = datetime.date(2025, 12, 31)


def _generate(**options):
    call_command("generate_scale_data", verbosity=0, **options)


@pytest.fixture
def scale_data(db):
    _generate(duos=200, partners=3, seed=7)


def test_counts(scale_data):
    assert Partner.objects.filter(slug__startswith="scale-partner-").count() == 3
    assert Duo.objects.count() == 200
    meetings_per_duo = Meeting.objects.count() / 200
    assert 20 <= meetings_per_duo <= 30
    assert Meeting.objects.filter(status="cancelled").exists()
    assert Duo.objects.active().exists()
    assert Duo.objects.closed().count() > 150
    assert FundingConvention.objects.filter(slug__startswith="scale-conv-").exists()


def test_meeting_months_follow_the_meetings(scale_data):
    """``COPY`` (PostgreSQL) and ``bulk_create`` (SQLite) fire the triggers that
    keep ``MeetingMonth``; the generator flags one held meeting per duo and day."""
    assert one_counting_meeting_per_held_day()
    assert kept() == counted() != {}
    _generate(duos=40, partners=2, seed=5, reset=True)  # the reset deletes in SQL: the triggers see it too
    assert kept() == counted() != {}


def test_every_closed_duo_has_exactly_one_primary_outcome(scale_data):
    primaries = Count("outcomes", filter=Q(outcomes__is_primary=True))
    assert not Duo.objects.closed().annotate(n=primaries).exclude(n=1).exists()
    assert not Outcome.objects.filter(duo__status=DuoStatus.ACTIVE).exists()


def test_rows_keep_the_rules(scale_data):
    assert not Mentee.objects.annotate(n=Count("duos", filter=Q(duos__status="active"))).filter(n__gt=1).exists()
    jobs = Outcome.objects.filter(type=OutcomeType.JOB)
    assert jobs.exists()
    assert not jobs.filter(contract_type="").exists()
    assert not Outcome.objects.exclude(type=OutcomeType.JOB).exclude(contract_type="").exists()
    assert not jobs.exclude(contract_type="cdi").filter(contract_months__isnull=True).exists()

    duos = Duo.objects.select_related("programme", "mentor", "mentee", "convention")
    for duo in duos:
        programme = duo.programme
        assert duo.partner_id == programme.partner_id == duo.mentor.partner_id == duo.mentee.partner_id
        assert duo.planned_end_date == planned_end_for(programme, duo.start_date)
        assert duo.start_date <= AS_OF
        mentee_age = age_on(duo.mentee.birth_date, duo.start_date)
        assert programme.mentee_min_age is None or mentee_age >= programme.mentee_min_age
        assert programme.mentee_max_age is None or mentee_age <= programme.mentee_max_age
        assert programme.mentor_min_age is None or age_on(duo.mentor.birth_date, duo.start_date) >= (
            programme.mentor_min_age
        )
        if duo.convention:
            assert duo.convention.period_start <= duo.start_date <= duo.convention.period_end

    bounds = Duo.objects.annotate(first=Min("meetings__date"), last=Max("meetings__date"))
    assert not bounds.filter(first__lt=F("start_date")).exists()
    assert not bounds.filter(last__gt=F("end_date")).exists()
    assert not bounds.filter(last__gt=AS_OF).exists()


def test_refuses_to_run_twice_and_reset_replaces_only_scale_data(scale_data):
    other = DuoFactory()
    with pytest.raises(CommandError, match="--reset"):
        _generate(duos=50, partners=2)
    _generate(duos=50, partners=2, reset=True)
    assert Duo.objects.filter(partner__slug__startswith="scale-partner-").count() == 50
    assert Partner.objects.filter(slug__startswith="scale-partner-").count() == 2
    assert Duo.objects.filter(pk=other.pk).exists()


def test_same_seed_same_data(db):
    def fingerprint():
        duos = Duo.objects.order_by("pk")
        return (
            list(duos.values_list("start_date", "status", "closure_reason", "partner__slug", "mentee__last_name")),
            list(Outcome.objects.order_by("duo_id", "-is_primary").values_list("type", "contract_type")),
            Meeting.objects.count(),
        )

    _generate(duos=60, partners=2, seed=3)
    first = fingerprint()
    _generate(duos=60, partners=2, seed=3, reset=True)
    assert fingerprint() == first


def test_reset_refuses_while_other_rows_refer_to_scale_data(scale_data):
    partner = Partner.objects.get(slug="scale-partner-01")
    UserFactory(username="coord-scale", role="coordinator", partner=partner)
    with pytest.raises(CommandError, match="memberships"):
        _generate(duos=20, partners=1, reset=True)
    assert Duo.objects.count() == 200
