"""The ``MeetingMonth`` triggers count a held meeting only when it has
``counts_for_cadence`` (one meeting per duo and day counts for the cadence),
and react to updates of that flag. Recreating them recounts the table from the
meetings, which puts right what the earlier triggers counted twice."""

from django.db import migrations

from reporting import meeting_months


def install_triggers(apps, schema_editor):
    meeting_months.install(schema_editor.connection)


def remove_triggers(apps, schema_editor):
    meeting_months.remove(schema_editor.connection)


class Migration(migrations.Migration):
    dependencies = [
        ("duos", "0006_concurrency"),
        ("reporting", "0005_published_reports"),
    ]

    operations = [migrations.RunPython(install_triggers, remove_triggers)]
