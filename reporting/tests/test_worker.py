"""The export end to end with a REAL Celery worker on Redis (not eager).

The worker runs in a thread of the test process (``celery.contrib.testing``),
so it reads the test database; the request goes through the view, the
service queues the task on commit, the worker builds the file, the status
partial reports it and the download returns a valid XLSX.

The broker is ``CELERY_BROKER_URL`` when set (CI: the PostgreSQL run), else
the local Redis at 127.0.0.1:6379 (database 15) when it answers. With a broker
configured and unreachable the test fails; with none configured and no local
Redis it is skipped with the reason shown (``-rs``); CI always has Redis.
"""

import io
import os
import threading
import time

import pytest
from celery.contrib.testing.worker import start_worker
from celery.signals import task_postrun
from django.db import OperationalError, connections
from django.urls import reverse
from openpyxl import load_workbook

from mentoring.celery import app
from reporting.figures import Period, figure_keys
from reporting.models import ReportRequest, ReportStatus
from reporting.selectors import ReportScope, figure_set_for_user
from reporting.tasks import build_report

from .test_exporters import assert_cells_equal, summary_cells

CONFIGURED_BROKER = os.environ.get("CELERY_BROKER_URL", "")
BROKER = CONFIGURED_BROKER or "redis://127.0.0.1:6379/15"
TIMEOUT = 60


def broker_reachable(url):
    import redis

    try:
        return redis.Redis.from_url(url, socket_connect_timeout=2).ping()
    except redis.RedisError:
        return False


def _reset_broker_connections():
    """Forget the app's connection pool so the next message uses ``broker_url``
    (kombu keeps one pool per broker URL; closing it would break later uses)."""
    app._pool = None
    app.amqp._producer_pool = None


@pytest.fixture
def real_worker(settings, media_root):
    if not broker_reachable(BROKER):
        if CONFIGURED_BROKER:
            pytest.fail(f"CELERY_BROKER_URL={CONFIGURED_BROKER} does not answer")
        pytest.skip("no Redis at 127.0.0.1:6379 and no CELERY_BROKER_URL: cannot start a real worker")
    saved = {key: app.conf[key] for key in ("broker_url", "task_always_eager")}
    app.conf.broker_url = BROKER
    app.conf.task_always_eager = False
    settings.CELERY_TASK_ALWAYS_EAGER = False
    _reset_broker_connections()
    app.control.purge()

    finished = []
    done = threading.Condition()

    def on_postrun(sender=None, task_id=None, args=None, **kwargs):
        # In the worker thread: release its database connections (PostgreSQL
        # would keep the test database busy) and tell the test.
        connections.close_all()
        with done:
            finished.append(threading.current_thread())
            done.notify_all()

    task_postrun.connect(on_postrun, weak=False)

    def wait_for_runs(count):
        deadline = time.monotonic() + TIMEOUT
        with done:
            while len(finished) < count:
                remaining = deadline - time.monotonic()
                assert remaining > 0, "the worker did not run the task in time"
                done.wait(remaining)
            return finished[-1]

    try:
        with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=30):
            yield wait_for_runs
    finally:
        task_postrun.disconnect(on_postrun)
        app.conf.update(saved)
        _reset_broker_connections()


def _retry_locked(call):
    """SQLite's shared in-memory test database may refuse a read while the
    worker thread writes; PostgreSQL never does."""
    for _ in range(50):
        try:
            return call()
        except OperationalError:
            time.sleep(0.1)
    return call()


@pytest.mark.celery_worker
@pytest.mark.django_db(transaction=True)
def test_real_worker_builds_the_report(client, hand_counted, manager_user, coordinator_b, media_root, real_worker):
    client.force_login(manager_user)
    response = client.post(
        reverse("reporting:report_create"),
        {"quarter": "2019Q1", "format": "xlsx", "rounding": "half-up", "budget_basis": "days", "language": "en"},
    )
    assert response.status_code == 302
    report_request = ReportRequest.objects.get()

    assert real_worker(1) != threading.current_thread()  # built by the worker, not eagerly
    status_url = reverse("reporting:report_status", args=[report_request.pk])
    status = _retry_locked(lambda: client.get(status_url, HTTP_HX_REQUEST="true"))
    assert "hx-trigger" not in status.content.decode()
    report_request.refresh_from_db()
    assert report_request.status == ReportStatus.DONE, report_request.error

    download = client.get(reverse("reporting:report_download", args=[report_request.pk]))
    assert download.status_code == 200
    workbook = load_workbook(io.BytesIO(b"".join(download.streaming_content)))
    figures = figure_set_for_user(manager_user, ReportScope(period=Period.quarter("2019Q1")))
    summary = workbook["Summary"]
    for index, (_partner, row) in enumerate(figures.partners):
        assert_cells_equal(summary_cells(summary, index), row)
    assert_cells_equal(summary_cells(summary, len(figures.partners)), figures.total)
    assert set(figures.keys) == set(figure_keys())  # every figure was compared

    # The same task again (a redelivery): nothing is duplicated.
    files = sorted(path for path in media_root.rglob("*") if path.is_file())
    name = report_request.file.name
    build_report.delay(report_request.pk)
    real_worker(2)
    report_request.refresh_from_db()
    assert report_request.file.name == name
    assert sorted(path for path in media_root.rglob("*") if path.is_file()) == files == [media_root / name]
    assert ReportRequest.objects.count() == 1

    # Another partner's coordinator cannot download it.
    client.force_login(coordinator_b)
    assert client.get(reverse("reporting:report_download", args=[report_request.pk])).status_code == 404
