"""Celery tasks: thin wrappers that take ids and call a service.

Tasks acknowledge late (a worker lost mid-task gives the task to another
worker) and are safe to run twice (``report_build`` leaves a built report as
it is)."""

from celery import shared_task

from .services import report_build, report_files_delete_expired


@shared_task(acks_late=True, ignore_result=True)
def build_report(report_request_id):
    """Build the file of ``ReportRequest`` ``report_request_id``."""
    report_build(report_request_id=report_request_id)


@shared_task(ignore_result=True)
def delete_expired_report_files():
    """Periodic (``CELERY_BEAT_SCHEDULE``): delete expired report files."""
    return report_files_delete_expired()
