"""Celery tasks of the reminders: thin wrappers that take ids and dates.

``plan_digests`` runs every 15 minutes (``CELERY_BEAT_SCHEDULE``) and plans
the day's digests once ``REMINDER_DIGEST_HOUR`` has come; planning is
idempotent per user and day, so the runs after the first plan nothing.
``send_digest`` sends one; ``requeue_waiting_digests`` queues again what
waited too long (see ``mentoring.background``)."""

from celery import shared_task

from .services import digest_send, digests_plan_if_time, digests_requeue


@shared_task(ignore_result=True)
def plan_digests():
    """Periodic: plan (and queue) today's digests once it is time."""
    return len(digests_plan_if_time())


@shared_task(bind=True, acks_late=True, ignore_result=True)
def send_digest(self, digest_id):
    """Send ``Digest`` ``digest_id`` (nothing when there is nothing to do)."""
    digest_send(digest_id=digest_id, task_id=self.request.id)


@shared_task(ignore_result=True)
def requeue_waiting_digests():
    """Periodic (every minute): queue again the digests that waited too long."""
    return digests_requeue()
