"""PostgreSQL only: the big tables loaded as a bulk load should be.

Writing a million duos and 25 million meetings through the tables as they
stand costs most of the time in the database, not in ``COPY``: every meeting
checks its foreign key, updates its duo's ``last_meeting_date`` (a new version
of the duo row in 18 indexes) and feeds the ``MeetingMonth`` triggers, and
every row goes into every secondary index one at a time. PostgreSQL's own
advice for populating a database is the way out: drop the indexes and foreign
keys, load, build them again in one pass each
(https://www.postgresql.org/docs/15/populate.html).

``BulkLoad`` does that inside the generator's transaction, so a failure rolls
every change back, indexes and triggers included:

- on entry, the secondary indexes (those that back no primary key or unique
  constraint) and the foreign keys of ``tables`` are dropped, their
  definitions kept as PostgreSQL prints them; the enabled triggers of those
  tables that keep derived data (``last_meeting_date``, ``MeetingMonth``, the
  active-duo rule) are disabled;
- the caller writes what those triggers would have written, by the same
  rules: each duo's ``last_meeting_date`` and the ``MeetingMonth`` rows (one
  counted held meeting per duo and day, counted per calendar month);
- on exit the triggers are enabled, the indexes built and the foreign keys
  added back (which checks every row), and the rule "an active duo has no
  primary outcome" checked once for the new duos.

The tests of the generator compare ``last_meeting_date`` and ``MeetingMonth``
with what the triggers keep, and check that every index, key and trigger is
back (``duos/tests/test_generate_scale_data.py``).
"""

from django.db import connection

from duos.database_rules import LAST_MEETING

from .errors import ScaleDataError

# Triggers that derive data: while they are off, the bulk load writes that data itself.
DERIVING_TRIGGER_PREFIXES = (LAST_MEETING, "reporting_meeting_month", "duo_active_without_primary_outcome")


class BulkLoad:
    """Context manager: ``with BulkLoad(cursor, tables, new_duo_ids=...):``.

    ``tables`` are table names (``["duos_duo", "duos_meeting", ...]``).
    ``new_duo_ids`` is a callable returning ``(first, last)``, the range of the
    duo ids written inside the block (ids come from the sequence, so no older
    duo lies in it), or ``None`` when none were written. Raises
    ``ScaleDataError`` on exit when a new active duo has a primary outcome.
    """

    def __init__(self, cursor, tables, *, new_duo_ids):
        self.cursor = cursor
        self.tables = list(tables)
        self.new_duo_ids = new_duo_ids

    def __enter__(self):
        cursor = self.cursor
        cursor.execute(
            """
            SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid)
            FROM pg_index i
            WHERE i.indrelid = ANY(%s::regclass[]) AND NOT i.indisprimary
              AND NOT EXISTS (
                  SELECT 1 FROM pg_constraint c
                  WHERE c.conindid = i.indexrelid AND c.conrelid = i.indrelid AND c.contype IN ('p', 'u', 'x')
              )
            ORDER BY 1
            """,
            [self.tables],
        )
        self.indexes = cursor.fetchall()
        cursor.execute(
            """
            SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid)
            FROM pg_constraint WHERE contype = 'f' AND conrelid = ANY(%s::regclass[]) ORDER BY 1, 2
            """,
            [self.tables],
        )
        self.foreign_keys = cursor.fetchall()
        cursor.execute(
            """
            SELECT tgrelid::regclass::text, tgname FROM pg_trigger
            WHERE tgrelid = ANY(%s::regclass[]) AND NOT tgisinternal AND tgenabled <> 'D'
              AND tgname LIKE ANY(%s)
            ORDER BY 1, 2
            """,
            [self.tables, [f"{prefix}%" for prefix in DERIVING_TRIGGER_PREFIXES]],
        )
        self.triggers = cursor.fetchall()
        quote = connection.ops.quote_name
        for table, name, _definition in self.foreign_keys:
            cursor.execute(f"ALTER TABLE {table} DROP CONSTRAINT {quote(name)}")
        for name, _definition in self.indexes:
            cursor.execute(f"DROP INDEX {name}")
        for table, name in self.triggers:
            cursor.execute(f"ALTER TABLE {table} DISABLE TRIGGER {quote(name)}")
        return self

    def __exit__(self, exc_type, exc, traceback):
        if exc_type is not None:
            return False  # the transaction rolls back: indexes, keys and triggers with it
        cursor = self.cursor
        quote = connection.ops.quote_name
        new_duos = self.new_duo_ids()
        # Sorts and hashes of millions of rows: in memory rather than on disk.
        cursor.execute("SET LOCAL work_mem = '256MB'")
        cursor.execute("SET LOCAL maintenance_work_mem = '1GB'")
        for table, name in self.triggers:
            cursor.execute(f"ALTER TABLE {table} ENABLE TRIGGER {quote(name)}")
        for _name, definition in self.indexes:
            cursor.execute(definition)
        for table, name, definition in self.foreign_keys:
            cursor.execute(f"ALTER TABLE {table} ADD CONSTRAINT {quote(name)} {definition}")
        cursor.execute("RESET work_mem")
        cursor.execute("RESET maintenance_work_mem")
        if new_duos is not None:
            cursor.execute(
                """
                SELECT count(*) FROM duos_duo d JOIN duos_outcome o ON o.duo_id = d.id AND o.is_primary
                WHERE d.id BETWEEN %s AND %s AND d.status = 'active'
                """,
                list(new_duos),
            )
            if cursor.fetchone()[0]:
                raise ScaleDataError("Generated data break the rule: an active duo has no primary outcome.")
        return False
