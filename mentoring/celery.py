"""The Celery application.

Without ``CELERY_BROKER_URL`` (or ``REDIS_URL``) in the environment, settings make
tasks run eagerly in-process, so the app works with nothing but Python.
"""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mentoring.settings")

app = Celery("mentoring")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
