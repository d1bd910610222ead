"""Rows written in batches: ``COPY`` on PostgreSQL, ``bulk_create`` elsewhere."""

import io
import json
import queue
import threading

from django.db import connection
from django.db.models.expressions import DatabaseDefault

from .weights import BULK_BATCH


class TableWriter:
    """Rows for one table, buffered and written in batches.

    On PostgreSQL a batch is one ``COPY ... FROM STDIN`` of a tab-separated
    buffer; on other databases it is ``bulk_create``. ``columns`` are attribute
    names (``partner_id``); a row is a tuple in that order. A column the
    caller leaves out but the model gives a default (a partner's ``reference``,
    say) is written with that default: ``COPY`` knows nothing of Django's
    defaults, and a field added later must not break the generator.
    """

    def __init__(self, cursor, model, columns, *, use_copy):
        self.cursor = cursor
        self.model = model
        defaulted = {
            field.attname: field.get_default()
            for field in model._meta.concrete_fields
            if field.attname not in columns and not field.primary_key
        }
        # None: NULL by leaving the column out; a DatabaseDefault: the table's own.
        defaulted = {
            name: value
            for name, value in defaulted.items()
            if value is not None and not isinstance(value, DatabaseDefault)
        }
        self.columns = [*columns, *defaulted]
        if use_copy:
            # COPY reads text: a JSON field's default (a list, a dict) as its JSON.
            defaulted = {
                name: json.dumps(value) if isinstance(value, list | dict) else value
                for name, value in defaulted.items()
            }
        self.defaults = tuple(defaulted.values())
        self._text_cache = {}
        # What ``add_line`` appends to a line: the defaulted columns' text.
        self.line_suffix = "".join("\t" + self._tsv([(value,)])[:-1] for value in self.defaults) if use_copy else ""
        self.lines = []
        self.use_copy = use_copy
        self.rows = []
        self.written = 0
        if use_copy:
            quote = connection.ops.quote_name
            fields = {f.attname: f.column for f in model._meta.concrete_fields}
            self.copy_sql = "COPY {} ({}) FROM STDIN".format(
                quote(model._meta.db_table), ", ".join(quote(fields[c]) for c in self.columns)
            )

    copier = None  # a Copier: COPY in the background while Python makes the next rows

    def add(self, row):
        self.rows.append(row)

    def add_line(self, line):
        """A row already as ``COPY`` text (tab-separated, escaped, ending with
        ``line_suffix``, no newline); only when ``use_copy``."""
        self.lines.append(line)

    def flush(self):
        if self.lines:
            data = ("\n".join(self.lines) + "\n").encode()
            self.written += len(self.lines)
            self.lines = []
            self._copy(data)
        if not self.rows:
            return
        if self.defaults:
            defaults = self.defaults
            self.rows = [row + defaults for row in self.rows]
        if self.use_copy:
            self._copy(self._tsv(self.rows).encode())
        else:
            objects = [self.model(**dict(zip(self.columns, row, strict=True))) for row in self.rows]
            self.model.objects.bulk_create(objects, batch_size=BULK_BATCH)
        self.written += len(self.rows)
        self.rows = []

    def _copy(self, data):
        if self.copier is not None:
            self.copier.put(self.copy_sql, data)
        else:
            self.cursor.copy_expert(self.copy_sql, io.BytesIO(data), len(data) + 1)

    def _tsv(self, rows):
        cache = self._text_cache
        lines = []
        append = lines.append
        for row in rows:
            values = []
            for value in row:
                if value is None:
                    values.append("\\N")
                elif value.__class__ is str:
                    if "\\" in value or "\t" in value or "\n" in value or "\r" in value:
                        value = (
                            value.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")
                        )
                    values.append(value)
                elif value.__class__ is int:
                    values.append(str(value))
                elif value is True:
                    values.append("t")
                elif value is False:
                    values.append("f")
                else:  # dates, datetimes, decimals: few distinct values, cache their text
                    text = cache.get(value)
                    if text is None:
                        text = cache[value] = value.isoformat() if hasattr(value, "isoformat") else str(value)
                    values.append(text)
            append("\t".join(values))
        append("")
        return "\n".join(lines)


class Copier:
    """``COPY`` batches sent by a background thread, in the order given, on
    the caller's connection and so inside its transaction.

    Why: making the rows costs about as much CPU in Python as PostgreSQL spends
    storing them, and the two run on different cores; while this thread waits
    for the server (psycopg2 releases the GIL), Python makes the next chunk.
    The caller must not use the connection between ``start`` and ``finish``.
    At most ``depth`` batches wait, so memory stays bounded. ``finish`` waits
    for the last batch and raises whatever a ``COPY`` raised (the caller's
    transaction then rolls back); a failed thread refuses further batches.
    """

    def __init__(self, connection, *, depth=4):
        self.connection = connection
        self.raw = connection.connection  # the DB-API connection: Django's wrapper is per thread
        self.batches = queue.Queue(maxsize=depth)
        self.error = None
        self.thread = threading.Thread(target=self._run, name="scale-data-copy", daemon=True)

    def start(self):
        self.thread.start()
        return self

    def put(self, copy_sql, data):
        self._raise()
        self.batches.put((copy_sql, data))

    def finish(self):
        self.batches.put(None)
        self.thread.join()
        self._raise()

    def _raise(self):
        if self.error is not None:
            # As Django's own cursor would: django.db.IntegrityError and kin.
            with self.connection.wrap_database_errors:
                raise self.error

    def _run(self):
        with self.raw.cursor() as cursor:
            while (batch := self.batches.get()) is not None:
                if self.error is not None:
                    continue  # drain, so that a waiting put() returns
                copy_sql, data = batch
                try:
                    # One read of the whole batch: the thread holds the GIL only for it.
                    cursor.copy_expert(copy_sql, io.BytesIO(data), size=len(data) + 1)
                except Exception as exc:  # noqa: BLE001 - handed to the caller's thread
                    self.error = exc
