"""Report requests survive a broker outage, a lost worker and a build past its
time limit (``mentoring.background``). The worker itself is the eager one here;
``test_worker`` and ``test_worker_lost`` run real ones."""

import datetime
import os

import pytest
from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from mentoring import background
from mentoring.celery import app
from reporting.exporters import EXPORTERS
from reporting.figures import Period
from reporting.models import ReportRequest, ReportStatus
from reporting.services import report_build, report_request_create, report_requests_requeue
from reporting.tasks import build_report, requeue_waiting_reports

pytestmark = pytest.mark.django_db

Q1 = Period.quarter("2019Q1")
UNREACHABLE_BROKER = "redis://127.0.0.1:1/0"  # nothing listens on port 1


def files_under(root):
    return sorted(path for path in root.rglob("*") if path.is_file())


def reset_broker_connections():
    """Forget the app's connection pools so the next message uses ``broker_url``."""
    app._pool = None
    app.amqp._producer_pool = None


def use_broker(monkeypatch, url):
    """Send the next messages to ``url``. Celery reads ``CELERY_BROKER_URL``
    from the environment before its own configuration: both are set."""
    if "CELERY_BROKER_URL" in os.environ:
        monkeypatch.setenv("CELERY_BROKER_URL", url)
    app.conf.broker_url = url
    reset_broker_connections()


@pytest.fixture
def broker_down(settings, monkeypatch):
    """A broker configured (tasks are not eager) that does not answer."""
    saved = {key: app.conf[key] for key in ("broker_url", "task_always_eager")}
    use_broker(monkeypatch, UNREACHABLE_BROKER)
    app.conf.task_always_eager = False
    settings.CELERY_TASK_ALWAYS_EAGER = False
    yield
    monkeypatch.undo()
    app.conf.update(saved)
    reset_broker_connections()


def age(request, **fields):
    """Move the request's times back (as if minutes had passed)."""
    ReportRequest.objects.filter(pk=request.pk).update(**fields)
    request.refresh_from_db()
    return request


def minutes_ago(minutes):
    return timezone.now() - datetime.timedelta(minutes=minutes)


# --- the broker is down when the report is requested ------------------------------------


def test_request_is_saved_and_answered_when_the_broker_is_down(
    client, hand_counted, manager_user, media_root, broker_down, django_capture_on_commit_callbacks
):
    client.force_login(manager_user)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = client.post(
            reverse("reporting:report_create"),
            {"quarter": "2019Q1", "format": "xlsx", "rounding": "half-up", "budget_basis": "days", "language": "en"},
        )
    assert len(callbacks) == 1  # the send was tried, after the commit, and failed quietly
    report_request = ReportRequest.objects.get()
    assert response.status_code == 302
    assert response["Location"] == report_request.get_absolute_url()
    assert (report_request.status, report_request.queued_at, report_request.queue_attempts) == ("pending", None, 0)
    page = client.get(report_request.get_absolute_url()).content.decode()
    assert "it is built as soon as the background service answers" in page


def test_waiting_request_is_built_once_when_the_broker_is_back(hand_counted, manager_user, media_root, eager_tasks):
    with background_broker_down():
        report_request = report_request_create(user=manager_user, period=Q1, format="csv", language="en")
    assert ReportRequest.objects.get().status == ReportStatus.PENDING

    # The periodic task leaves a request alone for its first minute...
    assert report_requests_requeue() == {"queued": 0, "failed": 0}
    # ...then queues it; the (eager) worker builds it.
    age(report_request, created_at=minutes_ago(2))
    assert requeue_waiting_reports.apply().get() == {"queued": 1, "failed": 0}
    report_request.refresh_from_db()
    assert report_request.status == ReportStatus.DONE
    assert report_request.queue_attempts == 1 and report_request.queued_at is not None
    assert len(files_under(media_root)) == 1
    assert report_requests_requeue(now=timezone.now() + datetime.timedelta(hours=1)) == {"queued": 0, "failed": 0}


class background_broker_down:
    """Make every send fail as if the broker were unreachable (eager mode
    never reaches a broker, so the failure is simulated at ``apply_async``)."""

    def __enter__(self):
        from kombu.exceptions import OperationalError

        self.original = build_report.apply_async

        def refuse(*args, **kwargs):
            raise OperationalError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

        build_report.apply_async = refuse
        return self

    def __exit__(self, *exc):
        build_report.apply_async = self.original


def test_request_queued_long_ago_is_queued_again(hand_counted, manager_user, media_root, broker_down):
    with background_broker_down():
        report_request = report_request_create(user=manager_user, period=Q1, format="csv", language="en")
    age(report_request, created_at=minutes_ago(30), queued_at=minutes_ago(6), queue_attempts=1)
    sent = []
    original = build_report.apply_async
    build_report.apply_async = lambda args, **kwargs: sent.append(args) or type("R", (), {"id": "t-2"})()
    try:
        assert report_requests_requeue() == {"queued": 1, "failed": 0}
    finally:
        build_report.apply_async = original
    assert sent == [(report_request.pk,)]
    report_request.refresh_from_db()
    assert report_request.queue_attempts == 2
    assert report_request.queued_at > minutes_ago(1)


def test_request_never_taken_by_a_worker_fails_with_a_reason(hand_counted, coordinator_a, media_root, broker_down):
    with background_broker_down():
        report_request = report_request_create(user=coordinator_a, period=Q1, format="csv", language="fr")
    age(
        report_request,
        created_at=minutes_ago(60),
        queued_at=minutes_ago(6),
        queue_attempts=background.MAX_QUEUE_ATTEMPTS,
    )
    assert report_requests_requeue() == {"queued": 0, "failed": 1}
    report_request.refresh_from_db()
    assert report_request.status == ReportStatus.FAILED
    assert "service" in report_request.error  # in French, the requester's language
    assert report_request.error.startswith("Aucun")


def test_build_stopped_past_every_time_limit_is_failed(hand_counted, manager_user, media_root, eager_tasks):
    with background_broker_down():
        report_request = report_request_create(user=manager_user, period=Q1, format="csv", language="en")
    stale = background.stale_after() + datetime.timedelta(minutes=1)
    age(report_request, status=ReportStatus.RUNNING, started_at=timezone.now() - stale, task_id="lost")
    assert report_requests_requeue() == {"queued": 0, "failed": 1}
    report_request.refresh_from_db()
    assert report_request.status == ReportStatus.FAILED
    assert report_request.error.startswith("The build stopped before it finished")
    # A build still within its limits is left alone.
    age(report_request, status=ReportStatus.RUNNING, started_at=minutes_ago(1), error="")
    assert report_requests_requeue() == {"queued": 0, "failed": 0}


# --- one build, whatever the broker delivers --------------------------------------------


def test_duplicate_message_is_dropped_while_another_attempt_builds(hand_counted, manager_user, media_root):
    with background_broker_down():
        report_request = report_request_create(user=manager_user, period=Q1, format="csv", language="en")
    age(report_request, status=ReportStatus.RUNNING, started_at=timezone.now(), task_id="first")
    report_build(report_request_id=report_request.pk, task_id="second")
    report_request.refresh_from_db()
    assert (report_request.status, report_request.task_id) == (ReportStatus.RUNNING, "first")
    assert files_under(media_root) == []


def test_redelivered_message_takes_over_after_its_worker_was_lost(hand_counted, manager_user, media_root):
    with background_broker_down():
        report_request = report_request_create(user=manager_user, period=Q1, format="csv", language="en")
    age(report_request, status=ReportStatus.RUNNING, started_at=timezone.now(), task_id="first")
    report_build(report_request_id=report_request.pk, task_id="first")  # the same message, redelivered
    report_request.refresh_from_db()
    assert report_request.status == ReportStatus.DONE
    assert len(files_under(media_root)) == 1


def test_attempt_past_its_hard_time_limit_is_taken_over(hand_counted, manager_user, media_root):
    with background_broker_down():
        report_request = report_request_create(user=manager_user, period=Q1, format="csv", language="en")
    hard = settings.TASK_TIME_LIMITS["reporting.tasks.build_report"][1]
    started = timezone.now() - datetime.timedelta(seconds=hard + 1)
    age(report_request, status=ReportStatus.RUNNING, started_at=started, task_id="first")
    report_build(report_request_id=report_request.pk, task_id="second")
    report_request.refresh_from_db()
    assert report_request.status == ReportStatus.DONE
    assert len(files_under(media_root)) == 1


def test_failed_request_is_not_rebuilt_by_a_stray_message(hand_counted, manager_user, media_root):
    with background_broker_down():
        report_request = report_request_create(user=manager_user, period=Q1, format="csv", language="en")
    age(report_request, status=ReportStatus.FAILED, error="Stopped.")
    report_build(report_request_id=report_request.pk, task_id="stray")
    assert ReportRequest.objects.get().status == ReportStatus.FAILED
    assert files_under(media_root) == []


# --- a build past its time limit ---------------------------------------------------------


@pytest.mark.parametrize(("language", "reason"), [("en", "took longer than 2 minutes"), ("nl", "langer dan 2 minuten")])
def test_build_reaching_its_time_limit_fails_with_a_reason(
    hand_counted, manager_user, media_root, monkeypatch, language, reason
):
    def too_slow(data):
        raise SoftTimeLimitExceeded()

    monkeypatch.setattr(EXPORTERS["csv"], "build", too_slow)
    with background_broker_down():
        report_request = report_request_create(user=manager_user, period=Q1, format="csv", language=language)
    report_build(report_request_id=report_request.pk, task_id="t-1")
    report_request.refresh_from_db()
    assert report_request.status == ReportStatus.FAILED
    assert reason in report_request.error
    assert files_under(media_root) == []


def test_failed_request_is_retried_from_its_page(
    client, hand_counted, manager_user, media_root, eager_tasks, monkeypatch, django_capture_on_commit_callbacks
):
    def too_slow(data):
        raise SoftTimeLimitExceeded()

    monkeypatch.setattr(EXPORTERS["csv"], "build", too_slow)
    with django_capture_on_commit_callbacks(execute=True):
        report_request = report_request_create(user=manager_user, period=Q1, format="csv", language="en")
    report_request.refresh_from_db()
    assert report_request.status == ReportStatus.FAILED

    client.force_login(manager_user)
    page = client.get(report_request.get_absolute_url()).content.decode()
    assert "took longer than 2 minutes" in page
    retry_url = reverse("reporting:report_retry", args=[report_request.pk])
    assert retry_url in page
    monkeypatch.undo()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(retry_url)
    assert response.status_code == 302
    report_request.refresh_from_db()
    assert report_request.status == ReportStatus.DONE
    assert report_request.error == ""
    assert len(files_under(media_root)) == 1
    assert "being prepared again" in client.get(response["Location"]).content.decode()

    # A request that did not fail is not retried.
    response = client.post(retry_url, follow=True)
    assert "Only a failed report can be retried." in response.content.decode()


@pytest.mark.parametrize(
    ("persona", "expected"),
    [("coordinator_b", 404), ("staff_user", 404), ("manager_user", 403), ("coordinator_a", 302)],
)
def test_only_the_requester_retries(client, hand_counted, coordinator_a, persona, expected, request, media_root):
    with background_broker_down():
        report_request = report_request_create(user=coordinator_a, period=Q1, format="csv", language="en")
    age(report_request, status=ReportStatus.FAILED, error="Stopped.")
    client.force_login(request.getfixturevalue(persona))
    url = reverse("reporting:report_retry", args=[report_request.pk])
    assert client.get(url).status_code in (405, 404)
    with background_broker_down():
        assert client.post(url).status_code == expected
    report_request.refresh_from_db()
    assert report_request.status == (ReportStatus.PENDING if expected == 302 else ReportStatus.FAILED)


# --- the worker settings ------------------------------------------------------------------


def test_every_task_has_time_limits_below_the_visibility_timeout():
    ours = sorted(
        name for name in app.tasks if name.split(".")[0] in {"reporting", "followups", "reminders", "accounts"}
    )
    assert ours and ours == sorted(set(ours) & set(settings.TASK_TIME_LIMITS))
    for name in ours:
        soft, hard = settings.TASK_TIME_LIMITS[name]
        task = app.tasks[name]
        assert (task.soft_time_limit, task.time_limit) == (soft, hard), name
        assert soft < hard < settings.CELERY_VISIBILITY_TIMEOUT, name
    options = settings.CELERY_BROKER_TRANSPORT_OPTIONS
    assert options["visibility_timeout"] == settings.CELERY_VISIBILITY_TIMEOUT
    longest = max(hard for _soft, hard in settings.TASK_TIME_LIMITS.values())
    assert longest < settings.CELERY_VISIBILITY_TIMEOUT <= longest + 60  # just above it
    assert settings.CELERY_TASK_ACKS_LATE and settings.CELERY_TASK_REJECT_ON_WORKER_LOST
    schedule = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert "reporting.tasks.requeue_waiting_reports" in schedule
