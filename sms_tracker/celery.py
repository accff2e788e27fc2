"""The Celery app. Broker from REDIS_URL; without it tasks run eagerly (the embedded default).

Routing lives here, in one table: every task belongs to a kind, and each kind has its own queue, so
a slow kind (a webhook receiver that hangs, a 50-page report) only ever holds up the workers of its
own queue. Tasks not in the table go to the default queue (`CELERY_QUEUE`, "celery"). One worker
command per queue is in docs/operations.md.
"""

import os

from celery import Celery
from django_structlog.celery.steps import DjangoStructLogInitStep
from kombu import Exchange, Queue

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sms_tracker.settings")

app = Celery("sms_tracker")
app.config_from_object("django.conf:settings", namespace="CELERY")

# The queues by kind; each is named `CELERY_QUEUE_PREFIX` + kind (the prefix is empty in production;
# tests give every run queues of its own on the shared Redis).
QUEUE_KINDS = ("reports", "email", "webhooks", "imports", "sweeps")
TASK_KINDS = {
    "reports.tasks.render_report": "reports",
    "kernel.outbox.send_outbox_message": "email",
    "kernel.webhooks.deliver_webhook": "webhooks",
    "transfer.tasks.run_import": "imports",
    "reports.tasks.make_register_snapshot": "reports",
    # A connector sync is long-running I/O like an import: it waits on the imports queue.
    "connectors.tasks.sync_connector": "imports",
    # The periodic sweeps only find due rows and fan out to the queues above.
    "notifications.tasks.reminder_sweep": "sweeps",
    "reports.tasks.monthly_reports": "sweeps",
    "reports.tasks.recover_stale_reports": "sweeps",
    "reports.tasks.recover_stale_register_snapshots": "sweeps",
    "kernel.outbox.outbox_flush": "sweeps",
    "kernel.webhooks.webhooks_flush": "sweeps",
    "webhooks.tasks.webhooks_readiness": "sweeps",
    "api.tasks.purge_idempotency_keys": "sweeps",
    "connectors.tasks.connectors_sweep": "sweeps",
    "connectors.evidence.tasks.freeze_sweep": "sweeps",
}


def queue_name(kind: str) -> str:
    """The queue of a kind ("default" is the default queue), read at call time so a test can move it."""
    if kind == "default":
        return app.conf.task_default_queue
    return f"{app.conf.queue_prefix or ''}{kind}"


def all_queue_names() -> list[str]:
    return [queue_name("default"), *(queue_name(kind) for kind in QUEUE_KINDS)]


def route_task(name, args, kwargs, options, task=None, **kw):
    """Celery router (CELERY_TASK_ROUTES): the queue of the task's kind, None for the default queue."""
    kind = TASK_KINDS.get(name)
    return {"queue": queue_name(kind)} if kind else None


app.conf.task_routes = (route_task,)


@app.on_after_configure.connect
def declare_queues(sender, **kwargs):
    """Every queue is declared: a worker started without -Q (`make worker`, a one-box install) takes
    them all, and `-Q reports` picks one (docs/operations.md, "Queues and workers")."""
    # Each on an exchange and routing key of its own name, as Celery makes a queue it was not told of:
    # on one shared key, a message for one queue would be delivered to every queue.
    sender.conf.task_queues = [Queue(name, Exchange(name), routing_key=name) for name in all_queue_names()]


# A worker binds the request id that came with each task (django-structlog), for its log lines.
app.steps["worker"].add(DjangoStructLogInitStep)
app.autodiscover_tasks()
