"""Imported by the worker that ``test_worker_lost`` starts (``celery worker -I
reporting.tests.slow_export``), never by the application: every report build
sleeps ``SLOW_EXPORT_SECONDS`` first, so that the test can kill the worker
mid-build, and notes its start and its end in ``SLOW_EXPORT_LOG``, so that the
test can count the builds."""

import os
import time

from reporting.exporters import EXPORTERS

SECONDS = float(os.environ["SLOW_EXPORT_SECONDS"])
LOG = os.environ["SLOW_EXPORT_LOG"]


def _note(event):
    with open(LOG, "a") as log:
        log.write(f"{event} {os.getpid()}\n")


def _slowed(build):
    def slow_build(data):
        _note("started")
        time.sleep(SECONDS)
        content = build(data)
        _note("finished")
        return content

    return slow_build


for exporter in EXPORTERS.values():
    exporter.build = _slowed(exporter.build)
