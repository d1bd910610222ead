from django.apps import AppConfig
from django.db.backends.signals import connection_created
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class DuosConfig(AppConfig):
    name = "duos"
    verbose_name = _("Mentors, mentees and duos")

    def ready(self):
        from . import database_rules, search

        # After every migrate: the rules the database keeps beyond Django's
        # constraints (see duos/database_rules.py).
        post_migrate.connect(database_rules.install, sender=self, dispatch_uid="duos.database_rules")
        # SQLite's side of the accent-blind search (PostgreSQL's is a migration).
        connection_created.connect(search.register_sqlite_function, dispatch_uid="duos.search")
