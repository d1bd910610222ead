"""Background work that survives a broker outage and a lost worker.

A request for background work (a report to build, a digest to send) is a row
first, saved in the web request's own transaction; the broker only carries the
row's id. The rules, shared by every kind of work:

* ``enqueue`` hands the id to the broker after the commit and never fails the
  web request: with the broker down the row simply waits (``queued_at`` stays
  empty) and the user is answered at once.
* Each app's periodic ``requeue_waiting_*`` task queues again the rows that
  waited too long (``waiting_too_long``) and marks failed, with a reason its
  owner reads, the rows whose work outlived every time limit
  (``running_too_long``).
* A task ``claim``s its row before working: a second message for a row that is
  being worked on is dropped, while the same message redelivered after its
  worker was lost (same task id, or the first attempt past its hard time
  limit) takes over. So the work is done once, whatever the broker delivers.

The worker settings that go with this (late acknowledgement, visibility
timeout, time limits per task) are in ``mentoring/settings.py`` and explained
in the README ("Background work").
"""

import datetime
import logging

from django.conf import settings
from django.db import models, transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from kombu.exceptions import OperationalError

logger = logging.getLogger(__name__)

# A row whose message was handed to the broker this many times and is still
# waiting is failed with a reason: no worker is taking work.
MAX_QUEUE_ATTEMPTS = 5
# A row never handed to the broker is queued by the periodic task once it is
# this old (its own on-commit send may still be on its way before that).
NEVER_QUEUED_GRACE = datetime.timedelta(minutes=1)


class BackgroundWork(models.Model):
    """Bookkeeping of a row that a Celery task works on. The concrete model
    has ``status`` (``pending``, ``running``, then its own final states),
    ``created_at`` and ``started_at``."""

    queued_at = models.DateTimeField(_("queued at"), null=True, blank=True)
    queue_attempts = models.PositiveSmallIntegerField(_("times queued"), default=0)
    task_id = models.CharField(_("task id"), max_length=64, blank=True)

    class Meta:
        abstract = True


def enqueue(task, *args):
    """Send ``task(*args)`` to the broker; return the task id, or ``None``
    when the broker cannot be reached (logged, never raised: the row waits for
    the periodic requeue). Without a broker (eager mode) the task runs here and
    its own errors propagate as usual."""
    try:
        return task.apply_async(args=args).id
    except OperationalError:  # kombu wraps every connection error in this
        logger.warning("Broker unreachable: %s%r waits to be queued again", task.name, args, exc_info=True)
        return None


def enqueue_row(model, pk, task):
    """``enqueue(task, pk)`` and note it on row ``pk`` of ``model``
    (``queued_at``, ``queue_attempts``); a failed send leaves ``queued_at``
    empty so that the periodic task tries again within a minute."""
    task_id = enqueue(task, pk)
    if task_id is not None:
        model.objects.filter(pk=pk).update(queued_at=timezone.now(), queue_attempts=F("queue_attempts") + 1)
    return task_id


def waiting_too_long(now=None):
    """Pending rows to queue again: never queued for a minute, or queued longer
    than ``BACKGROUND_REQUEUE_AFTER_SECONDS`` ago and still not taken."""
    now = now or timezone.now()
    after = datetime.timedelta(seconds=settings.BACKGROUND_REQUEUE_AFTER_SECONDS)
    return Q(status="pending") & (
        Q(queued_at__isnull=True, created_at__lte=now - NEVER_QUEUED_GRACE) | Q(queued_at__lte=now - after)
    )


def running_too_long(now=None):
    """Running rows that no worker can still be working on: started longer
    ago than the visibility timeout (by then a lost worker's message has been
    redelivered, and restarted the row) plus two minutes of margin."""
    now = now or timezone.now()
    return Q(status="running", started_at__lte=now - stale_after())


def stale_after():
    return datetime.timedelta(seconds=settings.CELERY_VISIBILITY_TIMEOUT + 120)


def hard_time_limit(task_name):
    """The hard time limit of ``task_name`` in seconds (``TASK_TIME_LIMITS``)."""
    return settings.TASK_TIME_LIMITS[task_name][1]


def claim(queryset, pk, *, task_id, time_limit, now=None):
    """Lock row ``pk`` of ``queryset`` and mark it running for ``task_id``.

    Returns the row, or ``None`` when there is nothing to do: no such row, a
    finished row (any status but pending and running), or a row running under
    another task id that started less than ``time_limit`` seconds ago (a
    duplicate message while the first attempt may still be alive). The same
    task id means the broker redelivered this very message after its worker
    was lost: that attempt takes over. ``task_id=None`` (a direct call, not
    from a worker) always takes over a running row."""
    now = now or timezone.now()
    with transaction.atomic():
        row = queryset.select_for_update().filter(pk=pk).first()
        if row is None or row.status not in ("pending", "running"):
            return None
        if row.status == "running" and task_id is not None and row.task_id != task_id:
            alive = row.started_at is not None and row.started_at > now - datetime.timedelta(seconds=time_limit)
            if alive:
                logger.info(
                    "%s %s is being worked on by task %s; %s drops it", row._meta.label, pk, row.task_id, task_id
                )
                return None
        row.status = "running"
        row.started_at = now
        row.task_id = task_id or ""
        row.save(update_fields=["status", "started_at", "task_id"])
    return row


def requeue_waiting(queryset, task, *, now=None, fail):
    """Queue again the rows of ``queryset`` that waited too long; call
    ``fail(row, reason_key)`` for the ones that cannot be done any more
    (``"no_worker"``: queued ``MAX_QUEUE_ATTEMPTS`` times and never taken;
    ``"stopped"``: still running past every time limit, so no worker is on
    it any more). Returns
    ``{"queued": n, "failed": n}``."""
    now = now or timezone.now()
    counts = {"queued": 0, "failed": 0}
    for row in queryset.filter(running_too_long(now)):
        fail(row, "stopped")
        counts["failed"] += 1
    for row in queryset.filter(waiting_too_long(now)):
        if row.queue_attempts >= MAX_QUEUE_ATTEMPTS:
            fail(row, "no_worker")
            counts["failed"] += 1
        elif enqueue_row(type(row), row.pk, task) is not None:
            counts["queued"] += 1
    return counts
