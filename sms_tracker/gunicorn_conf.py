"""gunicorn's settings in production: `gunicorn -c python:sms_tracker.gunicorn_conf sms_tracker.wsgi`
(the Dockerfile and docker-compose.yml). Environment variables change them per deployment.

Threaded workers (gthread): most of a request's time is spent waiting for PostgreSQL and Redis, and
a sync worker waits idle meanwhile. With 20 auditors saving at once, 2 workers × 4 threads served
about 1.8× the saves per second of 2 sync workers and halved the median (README, "Answer
autosave under load"). Each thread keeps its own database connection (CONN_MAX_AGE): workers ×
threads connections per web container.
"""

import os

bind = os.environ.get("GUNICORN_BIND", "0.0.0.0:8000")
workers = int(os.environ.get("WEB_CONCURRENCY", "3"))
worker_class = "gthread"
threads = int(os.environ.get("GUNICORN_THREADS", "4"))
accesslog = "-"
