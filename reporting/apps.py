from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def _ensure_meeting_month_triggers(sender, using, **kwargs):
    """After ``migrate``: SQLite loses a table's triggers when a migration
    rebuilds ``duos_meeting``; put them back (``reporting.meeting_months``)."""
    from django.db import connections
    from django.db.migrations.recorder import MigrationRecorder

    from .meeting_months import ensure

    connection = connections[using]
    applied = MigrationRecorder(connection).applied_migrations()
    if ("reporting", "0006_meeting_months_same_day_rule") in applied:
        ensure(connection)


class ReportingConfig(AppConfig):
    name = "reporting"
    verbose_name = _("Reporting")

    def ready(self):
        post_migrate.connect(_ensure_meeting_month_triggers, sender=self)
