"""The database triggers that keep ``reporting.MeetingMonth`` (held meetings
per duo and calendar month, what the cadence figure reads) current, whoever
writes ``duos_meeting``: the services, the admin, a bulk load, ``COPY``.

A meeting counts when it is held **and** has ``counts_for_cadence``: several
held meetings of a duo on one day count once (the same-day rule; the services
keep the flag on the first of them, often with a queryset ``update()``, which
the triggers see like any other write).

PostgreSQL: statement-level triggers with transition tables, so a ``COPY`` of
millions of meetings is one grouped upsert. SQLite: row-level triggers.
SQLite drops a table's triggers when a migration rebuilds the table, so
``ensure`` (run after every ``migrate``, see ``apps.py``) puts them back and
recounts the table when they are missing.
"""

MEETING_MONTH_TRIGGERS = (
    "reporting_meeting_month_insert",
    "reporting_meeting_month_update",
    "reporting_meeting_month_delete",
)

POSTGRESQL_INSTALL = [
    """
    CREATE OR REPLACE FUNCTION reporting_meeting_month_sync() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        IF TG_OP IN ('UPDATE', 'DELETE') THEN
            UPDATE reporting_meetingmonth AS mm
            SET held_meetings = mm.held_meetings - gone.n
            FROM (
                SELECT duo_id, date_trunc('month', date::timestamp)::date AS month, count(*) AS n
                FROM old_meetings WHERE status = 'held' AND counts_for_cadence GROUP BY 1, 2
            ) AS gone
            WHERE mm.duo_id = gone.duo_id AND mm.month = gone.month;
        END IF;
        IF TG_OP IN ('INSERT', 'UPDATE') THEN
            INSERT INTO reporting_meetingmonth (duo_id, month, month_end, held_meetings)
            SELECT duo_id, date_trunc('month', date::timestamp)::date,
                   (date_trunc('month', date::timestamp) + interval '1 month - 1 day')::date, count(*)
            FROM new_meetings WHERE status = 'held' AND counts_for_cadence GROUP BY 1, 2, 3
            ON CONFLICT (duo_id, month) DO UPDATE
            SET held_meetings = reporting_meetingmonth.held_meetings + EXCLUDED.held_meetings;
        END IF;
        IF TG_OP IN ('UPDATE', 'DELETE') THEN
            DELETE FROM reporting_meetingmonth AS mm
            USING (SELECT DISTINCT duo_id FROM old_meetings) AS touched
            WHERE mm.duo_id = touched.duo_id AND mm.held_meetings <= 0;
        END IF;
        RETURN NULL;
    END;
    $$
    """,
    """
    CREATE TRIGGER reporting_meeting_month_insert AFTER INSERT ON duos_meeting
    REFERENCING NEW TABLE AS new_meetings
    FOR EACH STATEMENT EXECUTE FUNCTION reporting_meeting_month_sync()
    """,
    """
    CREATE TRIGGER reporting_meeting_month_update AFTER UPDATE ON duos_meeting
    REFERENCING OLD TABLE AS old_meetings NEW TABLE AS new_meetings
    FOR EACH STATEMENT EXECUTE FUNCTION reporting_meeting_month_sync()
    """,
    """
    CREATE TRIGGER reporting_meeting_month_delete AFTER DELETE ON duos_meeting
    REFERENCING OLD TABLE AS old_meetings
    FOR EACH STATEMENT EXECUTE FUNCTION reporting_meeting_month_sync()
    """,
]
POSTGRESQL_REMOVE = [
    "DROP TRIGGER IF EXISTS reporting_meeting_month_insert ON duos_meeting",
    "DROP TRIGGER IF EXISTS reporting_meeting_month_update ON duos_meeting",
    "DROP TRIGGER IF EXISTS reporting_meeting_month_delete ON duos_meeting",
    "DROP FUNCTION IF EXISTS reporting_meeting_month_sync()",
]

SQLITE_MONTH = "date({row}.date, 'start of month')"
SQLITE_MONTH_END = "date({row}.date, 'start of month', '+1 month', '-1 day')"
# Whether a row counts (``NEW`` or ``OLD``); SQLite stores booleans as 0 / 1.
SQLITE_COUNTS = "({row}.status = 'held' AND {row}.counts_for_cadence)"
SQLITE_INSTALL = [
    f"""
    CREATE TRIGGER reporting_meeting_month_insert AFTER INSERT ON duos_meeting
    WHEN {SQLITE_COUNTS.format(row="NEW")}
    BEGIN
        INSERT INTO reporting_meetingmonth (duo_id, month, month_end, held_meetings)
        VALUES (NEW.duo_id, {SQLITE_MONTH.format(row="NEW")}, {SQLITE_MONTH_END.format(row="NEW")}, 1)
        ON CONFLICT (duo_id, month) DO UPDATE SET held_meetings = held_meetings + 1;
    END
    """,
    f"""
    CREATE TRIGGER reporting_meeting_month_delete AFTER DELETE ON duos_meeting
    WHEN {SQLITE_COUNTS.format(row="OLD")}
    BEGIN
        UPDATE reporting_meetingmonth SET held_meetings = held_meetings - 1
        WHERE duo_id = OLD.duo_id AND month = {SQLITE_MONTH.format(row="OLD")};
        DELETE FROM reporting_meetingmonth
        WHERE duo_id = OLD.duo_id AND month = {SQLITE_MONTH.format(row="OLD")} AND held_meetings <= 0;
    END
    """,
    # Every column whether a meeting counts, and where, depends on.
    f"""
    CREATE TRIGGER reporting_meeting_month_update
    AFTER UPDATE OF duo_id, date, status, counts_for_cadence ON duos_meeting
    BEGIN
        UPDATE reporting_meetingmonth SET held_meetings = held_meetings - 1
        WHERE {SQLITE_COUNTS.format(row="OLD")} AND duo_id = OLD.duo_id AND month = {SQLITE_MONTH.format(row="OLD")};
        INSERT INTO reporting_meetingmonth (duo_id, month, month_end, held_meetings)
        SELECT NEW.duo_id, {SQLITE_MONTH.format(row="NEW")}, {SQLITE_MONTH_END.format(row="NEW")}, 1
        WHERE {SQLITE_COUNTS.format(row="NEW")}
        ON CONFLICT (duo_id, month) DO UPDATE SET held_meetings = held_meetings + 1;
        DELETE FROM reporting_meetingmonth
        WHERE {SQLITE_COUNTS.format(row="OLD")} AND duo_id = OLD.duo_id AND month = {SQLITE_MONTH.format(row="OLD")}
          AND held_meetings <= 0;
    END
    """,
]
SQLITE_REMOVE = [
    "DROP TRIGGER IF EXISTS reporting_meeting_month_insert",
    "DROP TRIGGER IF EXISTS reporting_meeting_month_update",
    "DROP TRIGGER IF EXISTS reporting_meeting_month_delete",
]

POSTGRESQL_RECOUNT = """
    INSERT INTO reporting_meetingmonth (duo_id, month, month_end, held_meetings)
    SELECT duo_id, date_trunc('month', date::timestamp)::date,
           (date_trunc('month', date::timestamp) + interval '1 month - 1 day')::date, count(*)
    FROM duos_meeting WHERE status = 'held' AND counts_for_cadence GROUP BY 1, 2, 3
    """
SQLITE_RECOUNT = f"""
    INSERT INTO reporting_meetingmonth (duo_id, month, month_end, held_meetings)
    SELECT duo_id, {SQLITE_MONTH.format(row="duos_meeting")}, {SQLITE_MONTH_END.format(row="duos_meeting")}, count(*)
    FROM duos_meeting WHERE status = 'held' AND counts_for_cadence GROUP BY 1, 2, 3
    """


def _execute(connection, statements):
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)


def _statements(connection):
    if connection.vendor == "postgresql":
        return POSTGRESQL_INSTALL, POSTGRESQL_REMOVE, POSTGRESQL_RECOUNT
    if connection.vendor == "sqlite":
        return SQLITE_INSTALL, SQLITE_REMOVE, SQLITE_RECOUNT
    raise NotImplementedError(f"reporting.MeetingMonth has no triggers for {connection.vendor}.")


def recount(connection):
    """Count the table again from the meetings (it then holds exactly what the triggers keep)."""
    _install, _remove, recount_sql = _statements(connection)
    _execute(connection, ["DELETE FROM reporting_meetingmonth", recount_sql])


def install(connection):
    """(Re)create the triggers and recount the table."""
    install_sql, remove_sql, _recount = _statements(connection)
    _execute(connection, remove_sql + install_sql)
    recount(connection)


def remove(connection):
    _install, remove_sql, _recount = _statements(connection)
    _execute(connection, remove_sql)


def triggers_present(connection):
    """Whether all three triggers exist on ``duos_meeting``."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT tgname FROM pg_trigger WHERE tgrelid = 'duos_meeting'::regclass AND tgname = ANY(%s)",
                [list(MEETING_MONTH_TRIGGERS)],
            )
        else:
            cursor.execute("SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'duos_meeting'")
        names = {row[0] for row in cursor.fetchall()}
    return set(MEETING_MONTH_TRIGGERS) <= names


def ensure(connection):
    """Install the triggers (and recount) when some are missing; returns whether it did."""
    if triggers_present(connection):
        return False
    install(connection)
    return True
