"""Rules the database keeps that Django's constraints cannot say.

**No active duo has a primary outcome.** The rule spans two tables (the duo's
status, its outcomes), and a CHECK constraint sees one row of one table, so it
is kept by triggers, on both tables:

- PostgreSQL: constraint triggers, after every insert or update of a duo's
  status and of an outcome's ``is_primary``/``duo_id``. The outcome's trigger
  reads its duo ``FOR SHARE``, which waits for any transaction changing that
  duo and then sees its committed status; a duo's update in turn waits for the
  share lock of an outcome being written, and its trigger then sees that
  outcome. So two transactions, one reopening a duo and one recording its
  outcome, cannot both pass: the later one fails with an ``IntegrityError``
  (SQLSTATE 23514, check violation).
- SQLite: ``BEFORE`` triggers raising ``ABORT`` (an ``IntegrityError``); SQLite
  runs one writing transaction at a time, so no interleaving to guard against.

The services never reach these triggers in normal use (they lock the duo's
row and check its state first: ``duos.services``); the triggers stop whatever
goes around them (the admin, a bulk load, SQL, a bug).

**A duo's last meeting date is its last held meeting's.** ``Duo.last_meeting_date``
is stored (the duo list sorts on it, indexed) and the database keeps it, so
that every writer (the services, the import, the admin, the scale and demo
generators, SQL) keeps it current:

- after meetings are inserted, deleted, or updated in their duo, date or
  status, the date of each touched duo is computed again from its held
  meetings (``max(date)``, the ``(duo, date)`` index). On PostgreSQL one
  statement-level trigger per event, over the statement's transition tables:
  a ``COPY`` of millions of meetings updates each duo once;
- a write of the column itself (a duo saved from a stale copy in memory, a
  fixture) is overridden by the computed date: the column is the database's.

The triggers are (re)installed after every ``migrate`` (``DuosConfig.ready``
connects ``install`` to ``post_migrate``), idempotently: SQLite drops a
table's triggers when a migration rebuilds the table, so a migration alone
would not keep them.
"""

RULE = "duo_active_without_primary_outcome"

POSTGRESQL = [
    f"""
    CREATE OR REPLACE FUNCTION {RULE}() RETURNS trigger LANGUAGE plpgsql AS $$
    DECLARE
        duo_status varchar;
    BEGIN
        IF TG_TABLE_NAME = 'duos_duo' THEN
            IF NEW.status = 'active'
               AND EXISTS (SELECT 1 FROM duos_outcome WHERE duo_id = NEW.id AND is_primary) THEN
                RAISE EXCEPTION 'duo % is active and has a primary outcome', NEW.id
                    USING ERRCODE = 'check_violation', CONSTRAINT = '{RULE}';
            END IF;
        ELSIF NEW.is_primary THEN
            SELECT status INTO duo_status FROM duos_duo WHERE id = NEW.duo_id FOR SHARE;
            IF duo_status = 'active' THEN
                RAISE EXCEPTION 'duo % is active: it cannot have a primary outcome', NEW.duo_id
                    USING ERRCODE = 'check_violation', CONSTRAINT = '{RULE}';
            END IF;
        END IF;
        RETURN NULL;
    END
    $$
    """,
    f"DROP TRIGGER IF EXISTS {RULE}_duo ON duos_duo",
    f"""
    CREATE CONSTRAINT TRIGGER {RULE}_duo AFTER INSERT OR UPDATE OF status ON duos_duo
    FOR EACH ROW EXECUTE FUNCTION {RULE}()
    """,
    f"DROP TRIGGER IF EXISTS {RULE}_outcome ON duos_outcome",
    f"""
    CREATE CONSTRAINT TRIGGER {RULE}_outcome AFTER INSERT OR UPDATE OF is_primary, duo_id ON duos_outcome
    FOR EACH ROW EXECUTE FUNCTION {RULE}()
    """,
]

_SQLITE_OUTCOME_CHECK = (
    "WHEN NEW.is_primary AND (SELECT status FROM duos_duo WHERE id = NEW.duo_id) = 'active' "
    f"BEGIN SELECT RAISE(ABORT, '{RULE}: an active duo cannot have a primary outcome'); END"
)

SQLITE = [
    f"""
    CREATE TRIGGER IF NOT EXISTS {RULE}_duo BEFORE UPDATE OF status ON duos_duo
    WHEN NEW.status = 'active' AND EXISTS (SELECT 1 FROM duos_outcome WHERE duo_id = NEW.id AND is_primary)
    BEGIN SELECT RAISE(ABORT, '{RULE}: an active duo cannot have a primary outcome'); END
    """,
    f"CREATE TRIGGER IF NOT EXISTS {RULE}_outcome_insert BEFORE INSERT ON duos_outcome {_SQLITE_OUTCOME_CHECK}",
    f"""
    CREATE TRIGGER IF NOT EXISTS {RULE}_outcome_update BEFORE UPDATE OF is_primary, duo_id ON duos_outcome
    {_SQLITE_OUTCOME_CHECK}
    """,
]


LAST_MEETING = "duo_last_meeting_date"
# The last held meeting of the duo whose id is ``{duo}`` (SQL, both backends).
_LAST_HELD = "(SELECT max(m.date) FROM duos_meeting m WHERE m.duo_id = {duo} AND m.status = 'held')"

LAST_MEETING_POSTGRESQL = [
    f"""
    CREATE OR REPLACE FUNCTION {LAST_MEETING}_refresh(duo_ids bigint[]) RETURNS void LANGUAGE sql AS $$
        UPDATE duos_duo d SET last_meeting_date = s.last
        FROM (SELECT t.id, {_LAST_HELD.format(duo="t.id")} AS last FROM unnest(duo_ids) AS t(id)) s
        WHERE d.id = s.id AND d.last_meeting_date IS DISTINCT FROM s.last
    $$
    """,
    f"""
    CREATE OR REPLACE FUNCTION {LAST_MEETING}_meetings() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        IF TG_OP = 'INSERT' THEN
            PERFORM {LAST_MEETING}_refresh(ARRAY(SELECT DISTINCT duo_id FROM new_meetings));
        ELSIF TG_OP = 'DELETE' THEN
            PERFORM {LAST_MEETING}_refresh(ARRAY(SELECT DISTINCT duo_id FROM old_meetings));
        ELSE
            -- Only the meetings whose duo, date or status changed (not a note's edit).
            PERFORM {LAST_MEETING}_refresh(ARRAY(
                SELECT o.duo_id FROM old_meetings o JOIN new_meetings n USING (id)
                WHERE (o.duo_id, o.date, o.status) IS DISTINCT FROM (n.duo_id, n.date, n.status)
                UNION
                SELECT n.duo_id FROM old_meetings o JOIN new_meetings n USING (id)
                WHERE (o.duo_id, o.date, o.status) IS DISTINCT FROM (n.duo_id, n.date, n.status)
            ));
        END IF;
        RETURN NULL;
    END
    $$
    """,
    f"DROP TRIGGER IF EXISTS {LAST_MEETING}_insert ON duos_meeting",
    f"""
    CREATE TRIGGER {LAST_MEETING}_insert AFTER INSERT ON duos_meeting
    REFERENCING NEW TABLE AS new_meetings FOR EACH STATEMENT EXECUTE FUNCTION {LAST_MEETING}_meetings()
    """,
    f"DROP TRIGGER IF EXISTS {LAST_MEETING}_update ON duos_meeting",
    f"""
    CREATE TRIGGER {LAST_MEETING}_update AFTER UPDATE ON duos_meeting
    REFERENCING OLD TABLE AS old_meetings NEW TABLE AS new_meetings
    FOR EACH STATEMENT EXECUTE FUNCTION {LAST_MEETING}_meetings()
    """,
    f"DROP TRIGGER IF EXISTS {LAST_MEETING}_delete ON duos_meeting",
    f"""
    CREATE TRIGGER {LAST_MEETING}_delete AFTER DELETE ON duos_meeting
    REFERENCING OLD TABLE AS old_meetings FOR EACH STATEMENT EXECUTE FUNCTION {LAST_MEETING}_meetings()
    """,
    # A value written into the column by anyone but the refresh above (nested
    # in a meeting trigger, depth > 1) is replaced by the computed one.
    f"""
    CREATE OR REPLACE FUNCTION {LAST_MEETING}_duo() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        IF pg_trigger_depth() = 1 THEN
            NEW.last_meeting_date := {_LAST_HELD.format(duo="NEW.id")};
        END IF;
        RETURN NEW;
    END
    $$
    """,
    f"DROP TRIGGER IF EXISTS {LAST_MEETING}_duo_insert ON duos_duo",
    f"""
    CREATE TRIGGER {LAST_MEETING}_duo_insert BEFORE INSERT ON duos_duo FOR EACH ROW
    WHEN (NEW.last_meeting_date IS NOT NULL) EXECUTE FUNCTION {LAST_MEETING}_duo()
    """,
    f"DROP TRIGGER IF EXISTS {LAST_MEETING}_duo_update ON duos_duo",
    f"""
    CREATE TRIGGER {LAST_MEETING}_duo_update BEFORE UPDATE OF last_meeting_date ON duos_duo FOR EACH ROW
    WHEN (NEW.last_meeting_date IS DISTINCT FROM OLD.last_meeting_date) EXECUTE FUNCTION {LAST_MEETING}_duo()
    """,
]

# SQLite: row triggers. Its triggers do not fire themselves again (recursive
# triggers are off), so the duo's own trigger can rewrite the column.
_SQLITE_REFRESH = (
    f"UPDATE duos_duo SET last_meeting_date = {_LAST_HELD.format(duo='duos_duo.id')} WHERE id IN ({{ids}});"
)

LAST_MEETING_SQLITE = [
    f"""
    CREATE TRIGGER IF NOT EXISTS {LAST_MEETING}_insert AFTER INSERT ON duos_meeting
    BEGIN {_SQLITE_REFRESH.format(ids="NEW.duo_id")} END
    """,
    f"""
    CREATE TRIGGER IF NOT EXISTS {LAST_MEETING}_update AFTER UPDATE OF duo_id, date, status ON duos_meeting
    BEGIN {_SQLITE_REFRESH.format(ids="OLD.duo_id, NEW.duo_id")} END
    """,
    f"""
    CREATE TRIGGER IF NOT EXISTS {LAST_MEETING}_delete AFTER DELETE ON duos_meeting
    BEGIN {_SQLITE_REFRESH.format(ids="OLD.duo_id")} END
    """,
    f"""
    CREATE TRIGGER IF NOT EXISTS {LAST_MEETING}_duo_insert AFTER INSERT ON duos_duo
    WHEN NEW.last_meeting_date IS NOT NULL BEGIN {_SQLITE_REFRESH.format(ids="NEW.id")} END
    """,
    f"""
    CREATE TRIGGER IF NOT EXISTS {LAST_MEETING}_duo_update AFTER UPDATE OF last_meeting_date ON duos_duo
    WHEN NEW.last_meeting_date IS NOT OLD.last_meeting_date BEGIN {_SQLITE_REFRESH.format(ids="NEW.id")} END
    """,
]


def statements_for(vendor):
    """The SQL statements that install the rules on a database of ``vendor``
    (``[]`` for a backend without them)."""
    return {
        "postgresql": POSTGRESQL + LAST_MEETING_POSTGRESQL,
        "sqlite": SQLITE + LAST_MEETING_SQLITE,
    }.get(vendor, [])


def fill_last_meeting_dates(connection):
    """Set every duo's ``last_meeting_date`` from its held meetings, in one
    statement (the data migration; also safe to run again)."""
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE duos_duo SET last_meeting_date = {_LAST_HELD.format(duo='duos_duo.id')}")


def drop_last_meeting_triggers(connection):
    """Remove the last-meeting triggers (migrating back before the column)."""
    names = [f"{LAST_MEETING}_{suffix}" for suffix in ("insert", "update", "delete", "duo_insert", "duo_update")]
    tables = ["duos_meeting"] * 3 + ["duos_duo"] * 2
    with connection.cursor() as cursor:
        for table, name in zip(tables, names, strict=True):
            if connection.vendor == "postgresql":
                cursor.execute(f"DROP TRIGGER IF EXISTS {name} ON {table}")
            elif connection.vendor == "sqlite":
                cursor.execute(f"DROP TRIGGER IF EXISTS {name}")


def install(using="default", **kwargs):
    """Install (or re-install) the triggers on the database ``using``; a
    ``post_migrate`` receiver, safe to run any number of times."""
    from django.db import connections

    connection = connections[using]
    tables = set(connection.introspection.table_names())
    if not {"duos_duo", "duos_outcome", "duos_meeting"} <= tables:  # migrated backwards, or not yet
        return
    with connection.cursor() as cursor:
        columns = {column.name for column in connection.introspection.get_table_description(cursor, "duos_duo")}
    if "last_meeting_date" not in columns:  # migrated back before the column
        return
    with connection.cursor() as cursor:
        for statement in statements_for(connection.vendor):
            cursor.execute(statement)
