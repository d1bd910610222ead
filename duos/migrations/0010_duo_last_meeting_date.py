"""``Duo.last_meeting_date``: the column, filled from the held meetings, then
its indexes (built once the column is filled). The triggers that keep it
current are installed after ``migrate`` (``duos.database_rules``); migrating
back drops them first."""

from django.db import migrations, models


def fill(apps, schema_editor):
    from duos.database_rules import fill_last_meeting_dates

    fill_last_meeting_dates(schema_editor.connection)


def drop_triggers(apps, schema_editor):
    from duos.database_rules import drop_last_meeting_triggers

    drop_last_meeting_triggers(schema_editor.connection)


class Migration(migrations.Migration):
    dependencies = [
        ("duos", "0009_search_without_accents"),
        ("programmes", "0004_convention_dates_in_allowed_range"),
    ]

    operations = [
        migrations.AddField(
            model_name="duo",
            name="last_meeting_date",
            field=models.DateField(blank=True, editable=False, null=True, verbose_name="Last meeting"),
        ),
        migrations.RunPython(fill, drop_triggers),
        migrations.AddIndex(
            model_name="duo",
            index=models.Index(fields=["last_meeting_date", "id"], name="duo_last_meeting_id"),
        ),
        migrations.AddIndex(
            model_name="duo",
            index=models.Index(fields=["partner", "last_meeting_date", "id"], name="duo_partner_last_meeting_id"),
        ),
    ]
