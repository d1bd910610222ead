"""Celery tasks: thin wrappers that take ids and call a service.

``run_import`` acknowledges late, has its time limits
(``TASK_TIME_LIMITS``) and is safe to run twice (``import_process`` claims
its request first, and an import replayed changes nothing). See
``mentoring.background`` and the README's "Background work"."""

from celery import shared_task

from .services import import_files_delete_expired, import_process, import_requests_requeue


@shared_task(bind=True, acks_late=True, ignore_result=True)
def run_import(self, import_request_id):
    """Preview or import (once confirmed) the file of ``ImportRequest`` ``import_request_id``."""
    import_process(import_request_id=import_request_id, task_id=self.request.id)


@shared_task(ignore_result=True)
def requeue_waiting_imports():
    """Periodic (every minute): queue again the imports that waited too long,
    fail those that can no longer finish."""
    return import_requests_requeue()


@shared_task(ignore_result=True)
def delete_expired_import_files():
    """Periodic (hourly): delete uploaded files kept past ``IMPORT_FILE_TTL_HOURS``."""
    return import_files_delete_expired()
