"""``generate_scale_data`` on a small scale: the rows it writes keep every rule
the models and services hold (run on SQLite and on PostgreSQL, where it uses COPY)."""

import datetime

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import IntegrityError, connection
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


def _schema():
    """Indexes, constraints and triggers (with whether each is enabled) of the
    tables the bulk load touches, as PostgreSQL describes them."""
    tables = ["duos_mentee", "duos_migrationbackground", "duos_duo", "duos_meeting", "duos_outcome"]
    tables.append("reporting_meetingmonth")
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexrelid::regclass::text, pg_get_indexdef(indexrelid) FROM pg_index "
            "WHERE indrelid = ANY(%s::regclass[]) ORDER BY 1",
            [tables],
        )
        indexes = cursor.fetchall()
        cursor.execute(
            "SELECT conname, pg_get_constraintdef(oid), convalidated FROM pg_constraint "
            "WHERE conrelid = ANY(%s::regclass[]) ORDER BY 1",
            [tables],
        )
        constraints = cursor.fetchall()
        cursor.execute(
            "SELECT tgname, tgenabled FROM pg_trigger WHERE tgrelid = ANY(%s::regclass[]) AND NOT tgisinternal "
            "ORDER BY 1",
            [tables],
        )
        triggers = cursor.fetchall()
    return indexes, constraints, triggers


postgresql_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the bulk load (indexes, keys and triggers dropped) is PostgreSQL's"
)


@postgresql_only
def test_the_bulk_load_puts_every_index_key_and_trigger_back(db):
    before = _schema()
    assert len(before[0]) > 20 and any(enabled == "O" for _name, enabled in before[2])
    _generate(duos=80, partners=2, seed=4)
    assert _schema() == before
    # What the disabled triggers would have kept, the load wrote itself.
    assert kept() == counted() != {}
    last_held = Max("meetings__date", filter=Q(meetings__status="held"))
    assert not Duo.objects.annotate(last=last_held).exclude(last_meeting_date=F("last")).exists()


@postgresql_only
def test_a_failed_bulk_load_changes_nothing(db, monkeypatch):
    """A COPY that fails in the background thread (here a meeting of 0
    minutes, against the database's check) stops the command and rolls back:
    no row written, every index, key and trigger still there."""
    from duos.scale_data.records import Records

    before = _schema()
    original = Records._add_meetings

    def broken(self, duo_id, *args):
        last = original(self, duo_id, *args)
        lines = self.writers["meetings"].lines  # COPY text: duo, date, duration, ...
        if lines:
            values = lines[-1].split("\t")
            lines[-1] = "\t".join([*values[:2], "0", *values[3:]])
        return last

    monkeypatch.setattr(Records, "_add_meetings", broken)
    with pytest.raises(IntegrityError, match="meeting_duration_in_bounds|duration"):
        _generate(duos=40, partners=2, seed=4)
    assert not Duo.objects.exists() and not Meeting.objects.exists()
    assert _schema() == before


def test_meetings_hold_the_values_generated(scale_data):
    """On PostgreSQL meetings reach COPY as ready-made text: every column
    must still read back as the value the generator meant."""
    from duos.scale_data.weights import MEETING_DURATIONS, MEETING_NOTES

    meetings = Meeting.objects.all()
    assert set(meetings.values_list("note", flat=True)) <= {"", *MEETING_NOTES}
    assert set(meetings.values_list("duration_minutes", flat=True)) <= set(MEETING_DURATIONS)
    assert set(meetings.values_list("status", flat=True)) == {"held", "cancelled"}
    if connection.vendor == "postgresql":  # bulk_create (SQLite) stamps rows with now: auto_now
        for day, created, updated in meetings.values_list("date", "created_at", "updated_at")[:500]:
            assert created == updated == datetime.datetime(day.year, day.month, day.day, 9, 30, tzinfo=datetime.UTC)
    assert meetings.filter(counts_for_cadence=True).exclude(status="held").count() == 0
    assert meetings.filter(reference="", form_token__isnull=True).count() == meetings.count()
