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


def _on(value: str | None) -> bool:
    """The same reading of a boolean as django-environ's, so gunicorn and Django agree."""
    return (value or "").strip().lower() in ("true", "on", "ok", "y", "yes", "1")


# gunicorn believes X-Forwarded-Proto (and the other forwarded headers) only from the addresses
# here. Django believes the scheme only when SECURE_PROXY_SSL_HEADER is on (settings.py); gunicorn
# must not believe more than Django: without a proxy nobody is trusted (gunicorn's own default
# trusts 127.0.0.1, so a local client could pass as HTTPS). Behind the proxy: FORWARDED_ALLOW_IPS,
# by default the proxy on the same host.
forwarded_allow_ips = (
    os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1,::1")
    if _on(os.environ.get("SECURE_PROXY_SSL_HEADER"))
    else ""
)


# Prometheus multiprocess mode (kernel/metrics.py): with PROMETHEUS_MULTIPROC_DIR set, each
# worker writes its counters there and /metrics/ adds them up; a worker that exits is marked dead so
# its live gauges drop out. The directory is emptied when gunicorn starts (files of an earlier run
# would be counted again).
def on_starting(server):
    directory = os.environ.get("PROMETHEUS_MULTIPROC_DIR")
    if directory:
        os.makedirs(directory, exist_ok=True)
        for name in os.listdir(directory):
            if name.endswith(".db"):
                os.remove(os.path.join(directory, name))


def child_exit(server, worker):
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        multiprocess.mark_process_dead(worker.pid)
