"""Reporting reads on a read replica.

With ``DATABASE_REPLICA_URL`` set, the settings add a ``replica`` database
alias and set ``REPORTING_READ_ALIAS = "replica"``. Code that computes figures
runs inside ``reporting_reads()`` (a context manager; ``ReportingReadsMixin``
for views): the reads made there go to that alias. Every write, every read made
to write (``select_for_update``, ``get_or_create``), every read elsewhere, and
the related objects of a row already loaded stay where Django would put them:
writes always on ``default``.

Why only reporting: the dashboard and the report exports read many rows and
tolerate a replica's lag of a few seconds; a page that shows what someone has
just saved does not. Without a replica ``REPORTING_READ_ALIAS`` is
``"default"`` and nothing changes.
"""

import contextvars
from contextlib import contextmanager

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS

REPLICA_ALIAS = "replica"

_reporting_reads = contextvars.ContextVar("reporting_reads", default=False)


@contextmanager
def reporting_reads():
    """Send the reads made inside to ``settings.REPORTING_READ_ALIAS``."""
    token = _reporting_reads.set(True)
    try:
        yield
    finally:
        _reporting_reads.reset(token)


class ReportingReadsMixin:
    """For views that show figures: the view runs, and its template renders,
    inside ``reporting_reads()``. Put it after the access mixins (as in
    ``class DashboardView(RoleRequiredMixin, ReportingReadsMixin, TemplateView)``)
    so that the user and the session are read from ``default`` first."""

    def dispatch(self, request, *args, **kwargs):
        with reporting_reads():
            response = super().dispatch(request, *args, **kwargs)
            # A TemplateResponse renders after the view returns: render it
            # here, so that the querysets the template evaluates are routed too.
            if callable(getattr(response, "render", None)) and not getattr(response, "is_rendered", True):
                response.render()
        return response


class ReportingReplicaRouter:
    """The database router (``DATABASE_ROUTERS``): reads inside
    ``reporting_reads()`` go to ``settings.REPORTING_READ_ALIAS``; all writes go
    to ``default``; migrations never run on the replica."""

    def db_for_read(self, model, **hints):
        if "instance" in hints:
            return None  # a related object: Django reads it where the instance came from
        alias = settings.REPORTING_READ_ALIAS
        if alias != DEFAULT_DB_ALIAS and _reporting_reads.get():
            return alias
        return None

    def db_for_write(self, model, **hints):
        # Explicitly, as a row read from the replica would otherwise be saved there.
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1, obj2, **hints):
        # The replica holds the same rows as default.
        if {obj1._state.db, obj2._state.db} <= {DEFAULT_DB_ALIAS, REPLICA_ALIAS}:
            return True
        return None

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return False if db == REPLICA_ALIAS else None
