"""``/healthz``: whether this web process can serve, for load balancers and
container health checks.

It answers without a login and says nothing about anyone: only which of its
dependencies answered. It never reads the session or the user, so it answers
(503) while the database is down.
"""

import logging

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.db import DEFAULT_DB_ALIAS, connections
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe
from kombu import Connection

logger = logging.getLogger(__name__)

OK = "ok"
ERROR = "error"
NOT_CONFIGURED = "not configured"
# Seconds to reach the broker; the database's is DATABASE_CONNECT_TIMEOUT.
BROKER_TIMEOUT_SECONDS = 2


def check_database():
    """``"ok"`` when the default database answers ``SELECT 1``, else ``"error"``
    (the reason goes to the log, not to the answer)."""
    try:
        with connections[DEFAULT_DB_ALIAS].cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:
        logger.warning("Health check: the database does not answer", exc_info=True)
        return ERROR
    return OK


def check_broker():
    """``"ok"`` when the Celery broker (``CELERY_BROKER_URL``) accepts a
    connection within ``BROKER_TIMEOUT_SECONDS``, ``"error"`` when it does
    not, ``"not configured"`` without a broker (tasks run eagerly in the web
    process: nothing to wait for)."""
    if not settings.CELERY_BROKER_URL:
        return NOT_CONFIGURED
    try:
        with Connection(
            settings.CELERY_BROKER_URL,
            connect_timeout=BROKER_TIMEOUT_SECONDS,
            transport_options={
                "socket_connect_timeout": BROKER_TIMEOUT_SECONDS,
                "socket_timeout": BROKER_TIMEOUT_SECONDS,
            },
        ) as broker:
            broker.ensure_connection(max_retries=1, interval_start=0, interval_step=0, timeout=BROKER_TIMEOUT_SECONDS)
    except Exception:
        logger.warning("Health check: the broker does not answer", exc_info=True)
        return ERROR
    return OK


@login_not_required
@require_safe
@never_cache
def healthz(request):
    """200 ``{"status": "ok", "checks": {...}}`` when the database and the broker
    answer (or no broker is configured), else 503 with ``"status": "error"``.
    ``checks`` maps ``database`` and ``broker`` to ``"ok"``, ``"error"`` or
    ``"not configured"``."""
    checks = {"database": check_database(), "broker": check_broker()}
    healthy = ERROR not in checks.values()
    return JsonResponse({"status": OK if healthy else ERROR, "checks": checks}, status=200 if healthy else 503)
