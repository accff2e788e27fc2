"""The Celery app. Broker from REDIS_URL; without it tasks run eagerly (the embedded default)."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sms_tracker.settings")

app = Celery("sms_tracker")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
