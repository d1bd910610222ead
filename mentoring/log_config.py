"""Logging configuration, shared by the Django settings and ``gunicorn.conf.py``.

Two formats, chosen with ``LOG_FORMAT``:

- ``json``: one JSON object per line (python-json-logger), what a log collector
  reads; the default outside DEBUG. Every record has ``timestamp`` (ISO 8601,
  UTC), ``level``, ``logger``, ``message`` and ``request_id`` (``null``
  outside a request), plus the fields a record was logged with, such as those
  of the request line (``mentoring.request_log``).
- ``text``: human-readable lines; the default in development.

Every record goes through one handler on the root logger (standard error), so
Django's, Celery's and gunicorn's own records come out in the same format.
"""

import contextvars
import logging

LOG_FORMATS = ("json", "text")

# The id of the request being served in this thread or task, for every record
# logged while serving it (set by ``mentoring.request_log.RequestLogMiddleware``).
current_request_id = contextvars.ContextVar("current_request_id", default=None)


class RequestIdFilter(logging.Filter):
    """Adds ``request_id`` (a string, or None outside a request) to each record."""

    def filter(self, record):
        if not hasattr(record, "request_id"):
            record.request_id = current_request_id.get()
        return True


def default_log_format(*, debug):
    """``"text"`` in development (``debug`` true), else ``"json"``."""
    return "text" if debug else "json"


def logging_config(*, log_format, level="INFO"):
    """A ``logging.config.dictConfig`` dictionary.

    ``log_format`` is ``"json"`` or ``"text"`` (else ``ValueError``); ``level``
    is a level name such as ``"INFO"``. The ``django`` loggers lose their own
    handlers and propagate to the root one, so runserver's lines, request
    errors and the rest share the format.
    """
    if log_format not in LOG_FORMATS:
        raise ValueError(f"LOG_FORMAT must be one of {', '.join(LOG_FORMATS)}, not {log_format!r}.")
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {"request_id": {"()": "mentoring.log_config.RequestIdFilter"}},
        "formatters": {
            "json": {
                "()": "pythonjsonlogger.json.JsonFormatter",
                "fmt": "%(levelname)s %(name)s %(message)s",
                "rename_fields": {"levelname": "level", "name": "logger"},
                "timestamp": True,
            },
            "text": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"},
        },
        "handlers": {
            "console": {"class": "logging.StreamHandler", "formatter": log_format, "filters": ["request_id"]},
        },
        "loggers": {"django": {"handlers": [], "propagate": True}},
        "root": {"handlers": ["console"], "level": level},
    }
