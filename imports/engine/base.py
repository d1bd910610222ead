"""The run shared by every sheet: one savepoint per row, errors reported
under their column, progress reported as rows go by."""

import time

from django.core.exceptions import ValidationError
from django.db import transaction

from .report import display

CHUNK = 500  # keys per ``IN (...)`` lookup: under SQLite's variable limit


def chunked(values, size=CHUNK):
    values = list(values)
    for start in range(0, len(values), size):
        yield values[start : start + size]


def in_chunks(queryset, field, values):
    """The rows of ``queryset`` whose ``field`` is one of ``values``, read
    ``CHUNK`` keys per query."""
    for chunk in chunked(sorted({value for value in values if value})):
        yield from queryset.filter(**{f"{field}__in": chunk})


def blank(value):
    """Text and choice fields store "" for nothing."""
    return "" if value is None else value


class Failed:
    """A row of another sheet that a row refers to could not be imported."""

    def __init__(self, row):
        self.row = row


class Run:
    """State of one import over a parsed file for ``partner``."""

    PROGRESS_EVERY_SECONDS = 0.5

    def __init__(self, *, partner, parsed, report, today, progress=None, user=None):
        self.partner = partner
        self.user = user
        self.parsed = parsed
        self.report = report
        self.today = today
        self.progress = progress
        self.done = 0
        self.total = parsed.total_rows
        self._last_progress = 0.0

    def tick(self):
        self.done += 1
        if self.progress is not None:
            now = time.monotonic()
            if now - self._last_progress >= self.PROGRESS_EVERY_SECONDS or self.done == self.total:
                self._last_progress = now
                self.progress(self.done, self.total)

    def sheet_name(self, kind):
        """The name of sheet ``kind`` as the file writes it (its title if
        the file has no such sheet)."""
        data = self.parsed.sheets.get(kind)
        if data is not None:
            return data.name
        from ..sheets import SHEETS

        return str(SHEETS[kind].title)

    def has(self, kind, key):
        return self.parsed.has_column(kind, key)

    def apply(self, row, columns, action, *, rewrite=None, savepoint=False):
        """Run ``action()`` (a service call). Returns its result, or ``None``
        when it raised a ``ValidationError`` (then reported under
        ``columns``; nothing of the row is written).

        A service writes nothing when it refuses (its checks come first, its
        writes are in its own atomic block), so one call needs no savepoint
        of its own: thousands of them would slow the one transaction of the
        import down. An ``action`` that calls a second service after a first
        one wrote asks for a ``savepoint``, so that a refusal by the second
        undoes the first. Any other error (a database error) ends the run."""
        try:
            if savepoint:
                with transaction.atomic():
                    return action()
            return action()
        except ValidationError as exc:
            self.report.validation_error(row, exc, columns, rewrite=rewrite)
            return None

    def changes(self, sheet, instance, values, *, fields=None):
        """``[(column label, old, new)]`` for the ``values`` (column key →
        new value) that differ from ``instance``'s (``fields``: column key →
        attribute, when they differ)."""
        fields = fields or {}
        found = []
        for key, new in values.items():
            old = getattr(instance, fields.get(key, key))
            if old != new:
                cell = sheet.column(key).cell
                found.append((sheet.column(key).label, display(old, cell), display(new, cell)))
        return found

    def refers_to_failed(self, row, key, failed, *, sheet_title):
        from django.utils.translation import gettext as _

        self.report.error(
            row,
            key,
            _("This row refers to row %(row)s of the sheet “%(sheet)s”, which has errors: fix that row first.")
            % {"row": failed.row.number, "sheet": sheet_title},
        )
