"""Every existing programme gets the default follow-ups (3, 6 and 12 months
after closure); a programme can change them on its edit page."""

from django.db import migrations

DEFAULT_FOLLOW_UP_MONTHS = (3, 6, 12)


def add_default_offsets(apps, schema_editor):
    Programme = apps.get_model("programmes", "Programme")
    FollowUpOffset = apps.get_model("followups", "FollowUpOffset")
    FollowUpOffset.objects.bulk_create(
        FollowUpOffset(programme_id=programme_id, months=months)
        for programme_id in Programme.objects.values_list("pk", flat=True)
        for months in DEFAULT_FOLLOW_UP_MONTHS
    )


class Migration(migrations.Migration):
    dependencies = [("followups", "0001_initial")]

    operations = [migrations.RunPython(add_default_offsets, migrations.RunPython.noop)]
