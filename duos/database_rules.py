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


def statements_for(vendor):
    """The SQL statements that install the rules on a database of ``vendor``
    (``[]`` for a backend without them)."""
    return {"postgresql": POSTGRESQL, "sqlite": SQLITE}.get(vendor, [])


def install(using="default", **kwargs):
    """Install (or re-install) the triggers on the database ``using``; a
    ``post_migrate`` receiver, safe to run any number of times."""
    from django.db import connections

    connection = connections[using]
    tables = set(connection.introspection.table_names())
    if not {"duos_duo", "duos_outcome"} <= tables:  # migrated backwards, or not yet
        return
    with connection.cursor() as cursor:
        for statement in statements_for(connection.vendor):
            cursor.execute(statement)
