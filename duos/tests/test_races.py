"""Two requests at the same moment, in two threads with their own database
connections (PostgreSQL: row locks and concurrent transactions are what is
tested; SQLite runs one writer at a time). Every unique rule answers with the
form's message, never a server error; no race leaves a corrupt record.

Where the race needs both requests past every check before either writes, a
barrier inside ``save()`` holds each thread until the other got there too."""

import datetime
import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, connections, transaction
from django.test import Client
from django.urls import reverse

from duos.models import ClosureReason, Duo, DuoStatus, Meeting, Mentee, Outcome, OutcomeType
from duos.services import duo_close, duo_create, duo_update
from programmes.models import Programme
from programmes.tests.world import use_fast_password_hasher
from tests.factories import DuoFactory, MenteeFactory, MentorFactory, ProgrammeFactory

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="concurrent transactions and row locks: run on PostgreSQL"
    ),
]

START = datetime.date(2018, 9, 3)
TODAY = datetime.date(2019, 6, 1)


@pytest.fixture(autouse=True)
def _fast_password_hasher(settings):
    use_fast_password_hasher(settings)


def run_together(*functions):
    """Run each function in its own thread, all at once; returns what each
    returned or raised."""
    results = [None] * len(functions)
    start = threading.Barrier(len(functions), timeout=20)

    def target(index, function):
        try:
            start.wait()
            results[index] = function()
        except BaseException as exc:  # noqa: BLE001 - handed back to the test
            results[index] = exc
        finally:
            connections.close_all()

    threads = [threading.Thread(target=target, args=item) for item in enumerate(functions)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not any(thread.is_alive() for thread in threads), "a thread is stuck"
    return results


@pytest.fixture
def meet_in_save(monkeypatch):
    """``meet_in_save(Model)``: each of two threads waits in ``Model.save`` for
    the other, so both have passed every check before either writes."""

    def patch(model, parties=2):
        barrier = threading.Barrier(parties, timeout=20)
        original = model.save

        def save(self, *args, **kwargs):
            if self.pk is None:
                barrier.wait()
            return original(self, *args, **kwargs)

        monkeypatch.setattr(model, "save", save)

    return patch


def logged_in(user):
    client = Client()
    client.force_login(user)
    return client


MENTEE = {"first_name": "Amina", "last_name": "Benali", "jobseeker_number": "10420420", "birth_date": "1998-01-20"}


def test_two_saves_of_the_same_new_mentee(coordinator_a, meet_in_save):
    meet_in_save(Mentee)
    clients = [logged_in(coordinator_a), logged_in(coordinator_a)]
    url = reverse("duos:mentee_create")
    responses = run_together(*(lambda c=c: c.post(url, {**MENTEE, "gender": "f"}) for c in clients))
    assert sorted(r.status_code for r in responses) == [200, 302]  # no server error
    refused = next(r for r in responses if r.status_code == 200)
    assert refused.context["form"].errors == {
        "jobseeker_number": ["This partner already has a mentee with this job-seeker number."]
    }
    assert Mentee.objects.count() == 1


def test_two_duos_started_for_one_mentee(partner_a, meet_in_save):
    programme = ProgrammeFactory(partner=partner_a)
    mentee = MenteeFactory(partner=partner_a)
    mentors = [MentorFactory(partner=partner_a), MentorFactory(partner=partner_a)]
    meet_in_save(Duo)
    results = run_together(
        *(lambda m=m: duo_create(programme=programme, mentor=m, mentee=mentee, start_date=START) for m in mentors)
    )
    refused = [r for r in results if isinstance(r, Exception)]
    assert len(refused) == 1 and isinstance(refused[0], ValidationError), results
    assert refused[0].message_dict == {
        "mentee": ["This mentee already has an active duo; close it before starting another."]
    }
    assert Duo.objects.filter(mentee=mentee, status=DuoStatus.ACTIVE).count() == 1


def close(duo, **kwargs):
    args = {
        "duo": duo,
        "end_date": datetime.date(2019, 3, 1),
        "reason": ClosureReason.COMPLETED,
        "outcome_type": OutcomeType.NONE,
        "today": TODAY,
    }
    return duo_close(**{**args, **kwargs})


def test_two_closures_of_one_duo(partner_a):
    duo = DuoFactory(programme=ProgrammeFactory(partner=partner_a), start_date=START)
    results = run_together(lambda: close(duo), lambda: close(duo, outcome_type=OutcomeType.TRAINING))
    refused = [r for r in results if isinstance(r, Exception)]
    assert len(refused) == 1 and refused[0].messages == ["This duo is already closed."], results
    assert Outcome.objects.filter(duo=duo, is_primary=True).count() == 1


@pytest.mark.parametrize("round_", range(3))
def test_an_edit_and_a_closure_of_one_duo(partner_a, round_):
    duo = DuoFactory(programme=ProgrammeFactory(partner=partner_a), start_date=START)
    results = run_together(
        lambda: duo_update(duo=duo, convention=None, planned_end_date=datetime.date(2019, 3, 10)),
        lambda: close(duo),
    )
    assert not isinstance(results[1], Exception), results  # the closure always goes through
    if isinstance(results[0], Exception):
        assert results[0].messages == ["This duo is closed; it can no longer be changed."]
    duo.refresh_from_db()
    assert duo.status == DuoStatus.CLOSED and duo.end_date == datetime.date(2019, 3, 1)
    assert Outcome.objects.filter(duo=duo, is_primary=True).count() == 1


def test_a_meeting_form_sent_twice_at_once(coordinator_a, partner_a):
    duo = DuoFactory(programme=ProgrammeFactory(partner=partner_a), start_date=START)
    clients = [logged_in(coordinator_a), logged_in(coordinator_a)]
    token = clients[0].get(duo.get_absolute_url()).context["meeting_form"]["form_token"].value()
    data = {"date": "2018-10-01", "duration_minutes": "60", "place": "online", "status": "held", "form_token": token}
    url = reverse("duos:meeting_create", args=[duo.pk])
    responses = run_together(*(lambda c=c: c.post(url, data) for c in clients))
    assert [r.status_code for r in responses] == [302, 302]
    assert Meeting.objects.filter(duo=duo).count() == 1


def test_two_programmes_with_one_short_name(staff_user, partner_a, meet_in_save):
    """A unique rule checked by a ModelForm (here a programme's slug) answers a
    concurrent double submit with the form's message too."""
    meet_in_save(Programme)
    clients = [logged_in(staff_user), logged_in(staff_user)]
    data = {
        "partner": partner_a.pk,
        "name": "DUO Brussels",
        "slug": "duo-brussels",
        "duration_months": "6",
        "min_meetings_per_month": "4",
        "meeting_place": "any",
        "max_active_duos_per_mentor": "1",
        "completion_tolerance_days": "14",
    }
    url = reverse("programmes:programme_create")
    responses = run_together(*(lambda c=c: c.post(url, data) for c in clients))
    assert sorted(r.status_code for r in responses) == [200, 302]
    refused = next(r for r in responses if r.status_code == 200)
    assert "slug" in refused.context["form"].errors
    assert Programme.objects.filter(slug="duo-brussels").count() == 1


@pytest.mark.parametrize("first", ["reactivate", "outcome"])
def test_the_database_rule_holds_between_two_transactions(partner_a, first):
    """Around the services (SQL, a bulk load): one transaction makes a closed
    duo active again while another gives it a primary outcome. Whichever goes
    first, the other fails: never an active duo with a primary outcome."""
    duo = DuoFactory(programme=ProgrammeFactory(partner=partner_a), closed=True)
    wrote = threading.Event()

    def reactivate():
        with transaction.atomic():
            if first == "outcome":
                wrote.wait(timeout=20)
            Duo.objects.filter(pk=duo.pk).update(status=DuoStatus.ACTIVE, end_date=None, closure_reason="")
            if first == "reactivate":
                wrote.set()
        return "reactivated"

    def add_outcome():
        with transaction.atomic():
            if first == "reactivate":
                wrote.wait(timeout=20)
            Outcome.objects.create(duo_id=duo.pk, is_primary=True, type="none", recorded_on=TODAY)
            if first == "outcome":
                wrote.set()
        return "outcome"

    results = run_together(reactivate, add_outcome)
    failed = [r for r in results if isinstance(r, Exception)]
    assert len(failed) == 1 and isinstance(failed[0], IntegrityError), results
    duo.refresh_from_db()
    has_outcome = Outcome.objects.filter(duo=duo, is_primary=True).exists()
    assert not (duo.status == DuoStatus.ACTIVE and has_outcome)
