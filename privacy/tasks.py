"""Celery tasks of the privacy app."""

from celery import shared_task

from .services import retention_apply


@shared_task(ignore_result=True)
def apply_retention():
    """Nightly (``CELERY_BEAT_SCHEDULE``): pseudonymise people past the retention period."""
    affected = retention_apply()
    return {kind: len(people) for kind, people in affected.items()}
