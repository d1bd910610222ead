"""Applying a read spreadsheet to a partner's records, all or nothing.

``import_rows`` runs every row through the services the forms use
(``duos.services``), in one database transaction: a row that breaks a rule
is reported with the service's own message under its column, and the run
goes on so that the preview lists every error at once. A refused service
call writes nothing, so a row needs no savepoint of its own. The rows that
a service can take together go to its batch form, which applies the same
rules row by row in memory and writes them at once: the new mentors and
mentees (``people_create_many``), a duo's new meetings
(``meeting_log_many``). So the queries of an import grow with its duos, not
with its meetings.
At the end the transaction is rolled back, unless the run was asked to
commit and found no error. The preview is the same run, rolled back: what it
announces is what the import does, unless the records change in between (the
import then finds the new errors and writes nothing).

Rows equal to what is recorded are left alone (no write, no history), so
importing the same file twice changes nothing the second time.
"""

import contextlib
from types import SimpleNamespace

from django.db import transaction
from django.utils import timezone
from simple_history.models import HistoricalRecords

from .base import Run
from .duos import DuoImport
from .people import import_mentees, import_mentors
from .report import CREATE, ERROR, UNCHANGED, UPDATE, Report

__all__ = ["CREATE", "ERROR", "UNCHANGED", "UPDATE", "Report", "import_rows"]


@contextlib.contextmanager
def history_user(user):
    """The history rows written meanwhile name ``user`` (django-simple-history
    reads the user of the current request; a Celery task has none)."""
    if user is None or getattr(HistoricalRecords.context, "request", None) is not None:
        yield
        return
    HistoricalRecords.context.request = SimpleNamespace(user=user)
    try:
        yield
    finally:
        del HistoricalRecords.context.request


def import_rows(*, partner, parsed, commit, user=None, today=None, progress=None):
    """Apply ``parsed`` (a ``reader.ParsedFile``) to ``partner``'s records.

    ``commit=False`` is the preview: everything is done, then rolled back.
    ``commit=True`` keeps the writes if, and only if, no row has an error.
    ``progress(done, total)`` is called as rows go by (at most twice a
    second). Returns the ``Report``; ``report.committed`` says whether the
    writes were kept."""
    report = Report(parsed)
    today = today or timezone.localdate()
    with history_user(user), transaction.atomic():
        run = Run(partner=partner, parsed=parsed, report=report, today=today, progress=progress, user=user)
        run.mentors, run.mentees = {}, {}
        import_mentors(run)
        import_mentees(run)
        DuoImport(run).run_all()
        report.committed = commit and not report.has_errors
        if not report.committed:
            transaction.set_rollback(True)
    return report
