"""The digests end to end, with nothing simulated: a REAL Celery worker and
a REAL Celery beat on Redis (``CELERY_BROKER_URL``, else the local Redis,
database 15, as in ``reporting.tests.test_worker``), and a REAL SMTP server
on localhost (aiosmtpd) that the digests travel to.

Beat runs ``plan_digests`` every second here (every 15 minutes in
production). The first run plans and queues one digest per recipient; the
worker sends them over SMTP; every later run the same day plans nothing, so
nothing arrives twice.
"""

import datetime
import email
import socket
import threading
import time

import pytest
from aiosmtpd.controller import Controller
from celery.beat import Service
from django.utils import timezone

from mentoring.celery import app
from reminders.models import Digest, DigestStatus
from reporting.tests.test_worker import real_worker
from tests.factories import DuoFactory, ProgrammeFactory

__all__ = ["real_worker"]  # a fixture, used below

TIMEOUT = 60


@pytest.fixture
def media_root(settings, tmp_path):
    """``real_worker`` builds reports into it (none here)."""
    settings.MEDIA_ROOT = str(tmp_path / "media")
    return tmp_path / "media"


class Inbox:
    """An aiosmtpd handler that keeps every message it receives."""

    def __init__(self):
        self.messages = []
        self.lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):
        with self.lock:
            self.messages.append(email.message_from_bytes(envelope.original_content or envelope.content))
        return "250 Message accepted for delivery"

    def received(self):
        with self.lock:
            return list(self.messages)


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def smtp_server(settings):
    inbox = Inbox()
    port = free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    yield inbox
    controller.stop()


@pytest.fixture
def beat(tmp_path):
    """Celery beat in a thread, running ``plan_digests`` every second; yields
    a function that waits for ``n`` more beat ticks."""
    saved = app.conf.beat_schedule
    app.conf.beat_schedule = {"plan-digests": {"task": "reminders.tasks.plan_digests", "schedule": 1.0}}
    service = Service(app, max_interval=0.5, schedule_filename=str(tmp_path / "beat-schedule"))
    thread = threading.Thread(target=service.start, daemon=True)
    thread.start()
    yield service
    service.stop()
    thread.join(timeout=10)
    app.conf.beat_schedule = saved


def wait_for(condition, what):
    deadline = time.monotonic() + TIMEOUT
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.2)
    raise AssertionError(f"timed out waiting for {what}")


@pytest.mark.celery_worker
@pytest.mark.django_db(transaction=True)
def test_digests_travel_once_a_day(
    settings, coordinator_a, coordinator_b, staff_user, partner_a, partner_b, smtp_server, real_worker, beat
):
    today = timezone.localdate()
    settings.REMINDER_DIGEST_HOUR = 0  # it is time, whatever the hour of the test
    settings.REMINDER_WEEKLY_DAY = today.isoweekday()  # staff get their weekly digest today
    settings.SITE_URL = "https://mentoring.example.org"
    # Partner A: a duo past its planned end; partner B: a duo without a meeting for 60 days.
    late = DuoFactory(programme=ProgrammeFactory(partner=partner_a), start_date=today - datetime.timedelta(days=200))
    quiet = DuoFactory(programme=ProgrammeFactory(partner=partner_b), start_date=today - datetime.timedelta(days=60))

    wait_for(lambda: len(smtp_server.received()) >= 3, "three digests over SMTP")
    received = {message["To"]: message for message in smtp_server.received()}
    assert set(received) == {"coord-a@example.org", "coord-b@example.org", "staff@example.org"}

    for address, message in received.items():
        assert message.get_content_type() == "multipart/alternative", address
        text, html = message.get_payload()
        assert (text.get_content_type(), html.get_content_type()) == ("text/plain", "text/html")
        assert "https://mentoring.example.org/" in text.get_payload(decode=True).decode()
    body_a = received["coord-a@example.org"].get_payload()[0].get_payload(decode=True).decode()
    assert "Duos past their planned end, not closed: 1" in body_a
    assert f"https://mentoring.example.org/duos/{late.pk}/" in body_a
    body_b = received["coord-b@example.org"].get_payload()[0].get_payload(decode=True).decode()
    assert "Duos without a meeting for a while: 1" in body_b
    assert f"(#{quiet.pk})" in body_b and f"(#{late.pk})" not in body_b  # partner isolation
    staff_body = received["staff@example.org"].get_payload()[0].get_payload(decode=True).decode()
    assert "== Partner A ==" in staff_body and "== Partner B ==" in staff_body

    # Later runs the same day (beat keeps going) send nothing more.
    runs = Digest.objects.count()
    time.sleep(4)  # four more beat ticks, each planning nothing
    assert len(smtp_server.received()) == 3
    assert Digest.objects.count() == runs == 3
    assert set(Digest.objects.values_list("status", flat=True)) == {DigestStatus.SENT}
