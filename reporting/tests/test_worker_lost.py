"""Report requests survive a broker outage and a lost worker, with REAL Celery
workers on Redis (``CELERY_BROKER_URL``, else the local Redis, database 15).

* The broker is down when the report is requested: the request is saved and
  answered at once; once the broker is back, the periodic requeue hands it to
  a worker (a thread of this process, as in ``test_worker``), which builds it
  once.
* The worker is killed (SIGKILL, with its pool) in the middle of a build: a
  new worker gets the same message back after the visibility timeout and
  builds the report, once. The workers are separate processes here, so they
  must share the test database: this one runs on PostgreSQL only.
"""

import datetime
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from mentoring.celery import app
from reporting.figures import Period
from reporting.models import ReportRequest, ReportStatus
from reporting.services import report_request_create, report_requests_requeue

from .test_background import UNREACHABLE_BROKER, files_under, use_broker
from .test_worker import BROKER, CONFIGURED_BROKER, _reset_broker_connections, broker_reachable, real_worker

__all__ = ["real_worker"]  # a fixture, used below

ROOT = Path(settings.BASE_DIR)


@pytest.mark.celery_worker
@pytest.mark.django_db(transaction=True)
def test_broker_down_when_requested_then_up_builds_once(
    client, hand_counted, manager_user, media_root, real_worker, monkeypatch
):
    use_broker(monkeypatch, UNREACHABLE_BROKER)
    client.force_login(manager_user)
    response = client.post(
        reverse("reporting:report_create"),
        {"quarter": "2019Q1", "format": "csv", "rounding": "half-up", "budget_basis": "days", "language": "en"},
    )
    assert response.status_code == 302
    report_request = ReportRequest.objects.get()
    assert (report_request.status, report_request.queued_at) == (ReportStatus.PENDING, None)

    use_broker(monkeypatch, BROKER)  # the broker is back
    ReportRequest.objects.update(created_at=timezone.now() - datetime.timedelta(minutes=2))
    assert report_requests_requeue() == {"queued": 1, "failed": 0}  # what beat runs every minute
    real_worker(1)
    report_request.refresh_from_db()
    assert report_request.status == ReportStatus.DONE, report_request.error
    assert len(files_under(media_root)) == 1
    assert report_requests_requeue() == {"queued": 0, "failed": 0}


def _start_worker(env, log_path):
    log = open(log_path, "ab")  # noqa: SIM115 - closed when the worker is stopped
    process = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "mentoring", "worker", "-P", "prefork", "-c", "1"]
        + ["-I", "reporting.tests.slow_export", "--without-gossip", "--without-mingle", "-l", "info"],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,  # its own process group: the pool dies with it
    )
    process.log = log
    return process


def _stop(process, sig=signal.SIGTERM):
    if process.poll() is None:
        os.killpg(process.pid, sig)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
    process.log.close()


def _wait_for(condition, timeout, what):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.25)
    raise AssertionError(f"timed out waiting for {what}")


@pytest.mark.celery_worker
@pytest.mark.django_db(transaction=True)
def test_worker_killed_mid_build_builds_once(hand_counted, manager_user, media_root, tmp_path, settings):
    if connection.vendor != "postgresql":
        pytest.skip("worker processes share the test database only on PostgreSQL (CI runs this there)")
    if not broker_reachable(BROKER):
        if CONFIGURED_BROKER:
            pytest.fail(f"CELERY_BROKER_URL={CONFIGURED_BROKER} does not answer")
        pytest.skip("no Redis at 127.0.0.1:6379 and no CELERY_BROKER_URL: cannot start a real worker")
    db = connection.settings_dict
    builds = tmp_path / "builds.log"
    env = {
        **os.environ,
        "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
        "CELERY_BROKER_URL": BROKER,
        "MEDIA_ROOT": str(media_root),
        "SLOW_EXPORT_SECONDS": "4",
        "SLOW_EXPORT_LOG": str(builds),
        # Short, so that the test takes seconds: the production default sits
        # just above the longest hard time limit (see the settings).
        "CELERY_VISIBILITY_TIMEOUT": "15",
    }
    if db.get("PASSWORD"):
        env["DATABASE_URL"] = env["DATABASE_URL"].replace(f"{db['USER']}@", f"{db['USER']}:{db['PASSWORD']}@")
    saved = {key: app.conf[key] for key in ("broker_url", "task_always_eager")}
    app.conf.broker_url = BROKER
    app.conf.task_always_eager = False
    settings.CELERY_TASK_ALWAYS_EAGER = False
    _reset_broker_connections()
    app.control.purge()
    first = second = None
    try:
        first = _start_worker(env, tmp_path / "worker-1.log")
        report_request = report_request_create(
            user=manager_user, period=Period.quarter("2019Q1"), format="csv", language="en"
        )
        _wait_for(lambda: builds.exists() and "started" in builds.read_text(), 60, "the first build to start")
        _stop(first, signal.SIGKILL)  # mid-build: the worker and its pool die at once
        report_request.refresh_from_db()
        assert report_request.status == ReportStatus.RUNNING
        assert files_under(media_root) == []

        second = _start_worker(env, tmp_path / "worker-2.log")
        started = time.monotonic()
        _wait_for(
            lambda: ReportRequest.objects.filter(pk=report_request.pk, status=ReportStatus.DONE).exists(),
            120,
            "the second worker to build the report",
        )
        recovered_in = time.monotonic() - started
        lines = builds.read_text().split("\n")
        assert sum(line.startswith("finished") for line in lines) == 1  # built once
        assert sum(line.startswith("started") for line in lines) == 2  # the killed attempt and the new one
        assert len(files_under(media_root)) == 1
        assert recovered_in < 120
    finally:
        for process in (first, second):
            if process is not None:
                _stop(process)
        app.conf.update(saved)
        _reset_broker_connections()
        connection.close()
