"""The reporting replica: with ``REPORTING_READ_ALIAS = "replica"``, the
dashboard's figures and the report-building task read from the replica alias,
and nothing is ever written there.

The test settings (``mentoring/settings_test.py``) add the ``replica`` alias as
a mirror of the test database, so the two connections see the same rows once
committed: these tests use real transactions.
"""

import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connections
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from duos.models import Duo
from mentoring.database_routing import reporting_reads
from programmes.models import Partner
from reporting.models import ReportRequest, ReportStatus
from reporting.tasks import build_report
from tests.factories import DuoFactory, PartnerFactory

ROOT = Path(__file__).resolve().parent.parent
WRITE = re.compile(r"^\s*(INSERT|UPDATE|DELETE)\b", re.IGNORECASE)

pytestmark = pytest.mark.django_db(transaction=True, databases=["default", "replica"])


@pytest.fixture
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)
    return tmp_path


@pytest.fixture
def replica(settings):
    settings.REPORTING_READ_ALIAS = "replica"


class Queries:
    """The SQL run on ``default`` and on ``replica`` inside the block."""

    def __enter__(self):
        self._contexts = {alias: CaptureQueriesContext(connections[alias]) for alias in ("default", "replica")}
        for context in self._contexts.values():
            context.__enter__()
        return self

    def __exit__(self, *exc):
        for context in self._contexts.values():
            context.__exit__(*exc)

    def sql(self, alias):
        return [query["sql"] for query in self._contexts[alias].captured_queries]


def test_the_replica_alias_mirrors_the_test_database():
    assert connections["replica"].settings_dict["TEST"]["MIRROR"] == "default"
    assert connections["replica"].settings_dict["NAME"] == connections["default"].settings_dict["NAME"]


def test_dashboard_reads_from_the_replica(client, replica, manager_user):
    DuoFactory.create_batch(3)
    client.force_login(manager_user)
    with Queries() as queries:
        response = client.get(reverse("reporting:dashboard"))
    assert response.status_code == 200
    assert response.context["figures"].total["duos_started"] is not None
    on_replica, on_default = queries.sql("replica"), queries.sql("default")
    assert any("duos_duo" in sql for sql in on_replica)
    # default served the session, the user and their role before the view ran;
    # no figure, no duo, mentee, meeting or outcome.
    assert on_default and not any(re.search(r'"(duos|reporting)_', sql) for sql in on_default), on_default
    assert not any(WRITE.match(sql) for sql in on_replica)


def test_dashboard_reads_from_default_without_a_replica(client, manager_user):
    client.force_login(manager_user)
    with Queries() as queries:
        assert client.get(reverse("reporting:dashboard")).status_code == 200
    assert queries.sql("replica") == []
    assert any("duos_duo" in sql for sql in queries.sql("default"))


def test_writes_never_go_to_the_replica(replica):
    """Inside reporting_reads(): reads go to the replica, writes to default,
    including a row read from the replica and saved again."""
    with Queries() as queries, reporting_reads():
        partner = PartnerFactory(name="Written on default")
        loaded = Partner.objects.get(pk=partner.pk)
        assert loaded._state.db == "replica"
        loaded.name = "Renamed on default"
        loaded.save()
        Partner.objects.filter(pk=partner.pk).update(name="Updated on default")
        locked = Partner.objects.select_for_update().filter(pk=partner.pk)
        assert locked.db == "default"  # read to write: on default
    assert not any(WRITE.match(sql) for sql in queries.sql("replica"))
    partner_writes = [
        sql.split()[0] for sql in queries.sql("default") if WRITE.match(sql) and '"programmes_partner"' in sql
    ]
    assert partner_writes == ["INSERT", "UPDATE", "UPDATE"]  # beside them, the history rows (simple_history)
    assert Partner.objects.get(pk=partner.pk).name == "Updated on default"


def test_reads_outside_reporting_stay_on_default(replica):
    with Queries() as queries:
        Duo.objects.count()
    assert queries.sql("replica") == []
    assert len(queries.sql("default")) == 1


def test_report_task_reads_figures_from_the_replica(replica, manager_user, media_root):
    """The export task: the figures from the replica; the request's status,
    its lock and its file from and to default."""
    DuoFactory.create_batch(2)
    request = ReportRequest.objects.create(
        requested_by=manager_user, date_from="2019-01-01", date_to="2019-03-31", quarter="2019Q1", format="csv"
    )
    with Queries() as queries:
        build_report.run(request.pk)
    request.refresh_from_db()
    assert request.status == ReportStatus.DONE, request.error
    on_replica, on_default = queries.sql("replica"), queries.sql("default")
    assert any("duos_duo" in sql for sql in on_replica)
    assert not any(WRITE.match(sql) for sql in on_replica)
    assert not any("FOR UPDATE" in sql for sql in on_replica)
    assert any(sql.startswith("UPDATE") and "reporting_reportrequest" in sql for sql in on_default)


def test_settings_add_the_replica_alias_from_the_environment():
    """DATABASE_REPLICA_URL adds the alias (a mirror under tests) and switches
    reporting reads to it; without it there is no alias and no switch."""
    code = (
        "import json; from mentoring import settings as s; "
        "print(json.dumps([sorted(s.DATABASES), s.REPORTING_READ_ALIAS, "
        "s.DATABASES.get('replica', {}).get('HOST'), s.DATABASES.get('replica', {}).get('TEST'), "
        "s.DATABASES.get('replica', {}).get('OPTIONS')]))"
    )
    base = {"PATH": "/usr/bin:/bin", "DATABASE_URL": "postgres://app@primary:5432/mentoring"}

    def run(env):
        result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True)
        assert result.returncode == 0, result.stderr
        return result.stdout.strip()

    with_replica = run({**base, "DATABASE_REPLICA_URL": "postgres://reader@replica:5432/mentoring"})
    assert with_replica == (
        '[["default", "replica"], "replica", "replica", {"MIRROR": "default"}, '
        '{"options": "-c random_page_cost=1.1 -c jit=off", "connect_timeout": 5}]'
    )
    assert run(base) == '[["default"], "default", null, null, null]'
