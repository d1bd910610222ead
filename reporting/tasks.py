"""Celery tasks: thin wrappers that take ids and call a service.

Tasks acknowledge late (a worker lost mid-task leaves its message to another
worker), have time limits (``TASK_TIME_LIMITS`` in the settings) and are safe
to run twice (``report_build`` claims its request first). See
``mentoring.background`` and the README's "Background work"."""

from celery import shared_task

from mentoring.database_routing import reporting_reads

from .services import report_build, report_files_delete_expired, report_requests_requeue


@shared_task(bind=True, acks_late=True, ignore_result=True)
def build_report(self, report_request_id):
    """Build the file of ``ReportRequest`` ``report_request_id``; its figures
    are read from the reporting replica, if there is one."""
    with reporting_reads():
        report_build(report_request_id=report_request_id, task_id=self.request.id)


@shared_task(ignore_result=True)
def delete_expired_report_files():
    """Periodic (``CELERY_BEAT_SCHEDULE``): delete expired report files."""
    return report_files_delete_expired()


@shared_task(ignore_result=True)
def requeue_waiting_reports():
    """Periodic (every minute): queue again the report requests that waited
    too long, fail those that can no longer finish."""
    return report_requests_requeue()
