"""Settings of the test suite: the project's settings, plus a ``replica``
database alias when none is configured.

The alias mirrors the test database (``TEST: {"MIRROR": "default"}``), as a
replica would mirror the primary, so that the tests of the reporting replica
(``tests/test_database_routing.py``) can show which queries go where. Routing
stays off (``REPORTING_READ_ALIAS = "default"``) unless a test switches it on:
a mirror only sees committed rows, so only tests with real transactions
(``django_db(transaction=True, databases=[...])``) may read from it.
"""

import copy

from .settings import *  # noqa: F403
from .settings import DATABASES

if "replica" not in DATABASES:
    DATABASES["replica"] = {**copy.deepcopy(DATABASES["default"]), "TEST": {"MIRROR": "default"}}
REPORTING_READ_ALIAS = "default"
