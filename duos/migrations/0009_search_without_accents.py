"""Search of names without accents: the ``unaccent`` and ``pg_trgm`` extensions,
the immutable ``mentoring_search_text`` function and trigram GIN indexes on
the names of mentors and mentees (PostgreSQL only; SQLite gets the function
on each connection, ``duos.search``)."""

from django.contrib.postgres.operations import TrigramExtension, UnaccentExtension
from django.db import migrations

# Frozen here (a migration must not change with the code): the expressions are
# those of ``duos.search.SearchText`` over ``MENTEE_SEARCH_FIELDS`` and
# ``MENTOR_SEARCH_FIELDS``; PostgreSQL uses an index only for that very expression.
FUNCTION = """
CREATE OR REPLACE FUNCTION mentoring_search_text(text) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
AS $$ SELECT lower(public.unaccent('public.unaccent'::regdictionary, $1)) $$
"""
INDEXES = {
    "mentee_search_text_trgm": (
        'CREATE INDEX IF NOT EXISTS mentee_search_text_trgm ON duos_mentee USING gin '
        "(mentoring_search_text(\"first_name\" || ' ' || \"last_name\") gin_trgm_ops)"
    ),
    "mentor_search_text_trgm": (
        "CREATE INDEX IF NOT EXISTS mentor_search_text_trgm ON duos_mentor USING gin "
        "(mentoring_search_text(\"first_name\" || ' ' || \"last_name\" || ' ' || \"employer\") gin_trgm_ops)"
    ),
}


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(FUNCTION)
    for sql in INDEXES.values():
        schema_editor.execute(sql)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")
    schema_editor.execute("DROP FUNCTION IF EXISTS mentoring_search_text(text)")


class Migration(migrations.Migration):
    dependencies = [
        ("duos", "0008_references"),
    ]

    operations = [
        UnaccentExtension(),
        TrigramExtension(),
        migrations.RunPython(forwards, backwards),
    ]
