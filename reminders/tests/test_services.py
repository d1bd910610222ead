"""Digests: who gets one on which day, idempotent per day, nothing when there
is nothing to do, an HTML and a text part in the user's language with links
to the lists, and survival of a failed send."""

import datetime
import email

import pytest
from django.core import mail

from reminders.models import Digest, DigestPreference, DigestStatus
from reminders.services import (
    digest_preference_set,
    digest_send,
    digests_plan,
    digests_plan_if_time,
    digests_requeue,
    preference_of,
    recipients,
)
from reminders.tasks import plan_digests, send_digest
from tests.factories import UserFactory

from .conftest import TODAY

pytestmark = pytest.mark.django_db

TUESDAY = TODAY + datetime.timedelta(days=1)


@pytest.fixture
def people(coordinator_a, coordinator_b, staff_user, manager_user):
    UserFactory(username="nomail", role="coordinator", partner=coordinator_a.membership.partner, email="")
    UserFactory(username="norole", role=None)
    return {"coordinator_a": coordinator_a, "coordinator_b": coordinator_b, "staff": staff_user}


def names(found):
    return sorted(user.username for user, *_rest in found)


def test_defaults_and_choices(people, manager_user):
    assert preference_of(people["coordinator_a"]) == ("daily", "en")
    assert preference_of(people["staff"]) == ("weekly", "en")
    assert names(recipients(TODAY)) == ["coord-a", "coord-b", "manager", "staff"]  # a Monday
    assert names(recipients(TUESDAY)) == ["coord-a", "coord-b"]
    digest_preference_set(user=people["coordinator_b"], frequency="never", language="nl")
    digest_preference_set(user=manager_user, frequency="daily", language="fr")
    assert names(recipients(TUESDAY)) == ["coord-a", "manager"]
    assert preference_of(manager_user) == ("daily", "fr")
    with pytest.raises(Exception, match="Choose how often"):
        digest_preference_set(user=manager_user, frequency="hourly", language="fr")


def test_planning_is_idempotent_per_day(people, partner_a_work, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        first = digests_plan(day=TODAY)
    assert len(callbacks) == 1  # queued after the commit
    assert sorted(digest.user.username for digest in first) == ["coord-a", "coord-b", "manager", "staff"]
    assert digests_plan(day=TODAY) == []
    assert Digest.objects.filter(date=TODAY).count() == 4
    assert len(digests_plan(day=TUESDAY, enqueue=False)) == 2


def test_coordinator_digest(people, partner_a_work):
    digests_plan(day=TODAY, enqueue=False)
    digest = Digest.objects.get(user=people["coordinator_a"])
    DigestPreference.objects.create(user=people["coordinator_a"], frequency="daily", language="fr")
    digest_send(digest_id=digest.pk, task_id="t-1")
    digest.refresh_from_db()
    assert digest.status == DigestStatus.SENT and digest.sent_at is not None
    assert digest.counts == {"behind_cadence": 1, "past_planned_end": 1, "without_meeting": 1, "follow_ups_due": 1}
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["coord-a@example.org"]
    assert message.subject == "Mentoring : à faire le 16/09/2019"
    assert message.alternatives[0][1] == "text/html"
    html = message.alternatives[0][0]
    work = partner_a_work
    for text in (message.body, html):
        assert "https://mentoring.example.org/duos/?status=active&" in text
        assert f"https://mentoring.example.org/duos/{work['due'].pk}/" in text
        assert "https://mentoring.example.org/follow-ups/" in text
        assert "Suivis à faire : 1" in text
        assert work["due"].mentee.last_name not in text  # initials only
        assert f"{work['due'].mentee.first_name} {work['due'].mentee.last_name[0]}." in text
    assert "https://mentoring.example.org/accounts/profile/" in message.body
    # Sent once: the same message again, or a second run, sends nothing more.
    digest_send(digest_id=digest.pk, task_id="t-1")
    send_digest.apply(args=[digest.pk])
    assert len(mail.outbox) == 1


def test_nothing_to_do_sends_nothing(people, partner_a_work):
    digests_plan(day=TODAY, enqueue=False)
    digest = Digest.objects.get(user=people["coordinator_b"])  # partner B has no duo
    digest_send(digest_id=digest.pk)
    digest.refresh_from_db()
    assert digest.status == DigestStatus.EMPTY
    assert mail.outbox == []


def test_staff_digest_counts_per_partner(people, partner_a_work):
    digests_plan(day=TODAY, enqueue=False)
    digest = Digest.objects.get(user=people["staff"])
    digest_send(digest_id=digest.pk)
    message = mail.outbox[0]
    assert message.subject == "Mentoring: the partners' duos on 16/09/2019"
    assert "== Partner A ==" in message.body and "== Partner B ==" in message.body
    assert "- Follow-ups due: 1" in message.body
    partner = partner_a_work["programme"].partner_id
    assert f"/duos/?partner={partner}&amp;status=active&amp;behind_cadence=yes" in message.alternatives[0][0]
    assert Digest.objects.get(pk=digest.pk).counts["partner-a"]["past_planned_end"] == 1


def test_failed_send_waits_for_the_requeue(people, partner_a_work, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 1, 2  # nobody listens
    digests_plan(day=TODAY, enqueue=False)
    digest = Digest.objects.get(user=people["coordinator_a"])
    digest_send(digest_id=digest.pk, task_id="t-1")
    digest.refresh_from_db()
    assert digest.status == DigestStatus.PENDING and "refused" in digest.error.lower()
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    Digest.objects.filter(pk=digest.pk).update(queued_at=digest.queued_at - datetime.timedelta(hours=1))
    counts = digests_requeue()  # eager: the digest is sent now
    assert counts["queued"] >= 1
    assert Digest.objects.get(pk=digest.pk).status == DigestStatus.SENT
    assert len([m for m in mail.outbox if m.to == ["coord-a@example.org"]]) == 1


def test_periodic_task_plans_once_it_is_time(people, settings, eager_tasks, time_machine_like):
    time_machine_like("2019-09-16 06:30")
    assert plan_digests.apply().get() == 0
    time_machine_like("2019-09-16 07:05")
    assert plan_digests.apply().get() == 4
    assert plan_digests.apply().get() == 0
    assert digests_plan_if_time() == []


@pytest.fixture
def eager_tasks():
    from mentoring.celery import app

    previous = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = previous


@pytest.fixture
def time_machine_like(monkeypatch):
    """Freeze ``timezone.now`` (Brussels local time given) for the services."""
    from zoneinfo import ZoneInfo

    from django.utils import timezone

    def set_now(text):
        now = datetime.datetime.fromisoformat(text).replace(tzinfo=ZoneInfo("Europe/Brussels"))
        monkeypatch.setattr(timezone, "now", lambda: now)

    return set_now


def test_message_is_multipart(people, partner_a_work):
    digests_plan(day=TODAY, enqueue=False)
    digest_send(digest_id=Digest.objects.get(user=people["coordinator_a"]).pk)
    parsed = email.message_from_bytes(mail.outbox[0].message().as_bytes())
    assert parsed.get_content_type() == "multipart/alternative"
    assert [part.get_content_type() for part in parsed.get_payload()] == ["text/plain", "text/html"]
