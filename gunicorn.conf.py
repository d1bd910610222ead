"""Gunicorn's settings for the ``web`` service, from environment variables.

Run as ``gunicorn --config gunicorn.conf.py mentoring.wsgi`` (compose.yaml does).
The README's configuration table lists the variables.
"""

import environ

from mentoring.log_config import default_log_format, logging_config

env = environ.Env()

bind = env("GUNICORN_BIND", default="0.0.0.0:8000")
# About 2 x CPU cores + 1 synchronous workers; each holds one database
# connection (CONN_MAX_AGE), so workers x web containers + Celery concurrency
# must stay under PostgreSQL's max_connections (100 by default).
workers = env.int("GUNICORN_WORKERS", default=3)
threads = env.int("GUNICORN_THREADS", default=1)
# A request still running after this many seconds is killed (its worker
# restarts). Report files are built by Celery, not in a request.
timeout = env.int("GUNICORN_TIMEOUT", default=30)
graceful_timeout = timeout
# Restart each worker after this many requests (plus up to 10 % jitter), which
# bounds the effect of any slow memory growth; 0 never restarts.
max_requests = env.int("GUNICORN_MAX_REQUESTS", default=1000)
max_requests_jitter = max_requests // 10

# Django logs one line per request (mentoring/request_log.py): no access log
# here, and gunicorn's own records share Django's format.
accesslog = None
errorlog = "-"
logconfig_dict = logging_config(
    log_format=env("LOG_FORMAT", default=default_log_format(debug=env.bool("DEBUG", default=True))),
    level=env("LOG_LEVEL", default="INFO"),
)
logconfig_dict["loggers"].update(
    {
        "gunicorn.error": {"handlers": [], "propagate": True},
        "gunicorn.access": {"handlers": [], "propagate": False},
    }
)
