"""Issue 22 §3: each kind of task has its own queue, so a stuck kind never holds up the others."""

import socket
import threading

import pytest
import redis
from django.utils import timezone

from kernel.outbox import OutboxStatus, enqueue_send, outbox_record, send_outbox_message
from kernel.queueing import enqueue
from kernel.webhook_delivery import DeliveryStatus
from kernel.webhooks import deliver_webhook, webhooks_flush
from notifications.models import OutboxMessage
from notifications.tasks import reminder_sweep
from projects.tasks import refresh_project_progress
from reports.models import Report, ReportStatus
from reports.tasks import render_report
from sms_tracker.celery import app
from tests.background.workers import broker_url, wait_for
from tests.conftest import need_service
from tests.factories import make_task, make_webhook
from transfer.tasks import run_import
from webhooks.models import WebhookDelivery

pytestmark = pytest.mark.services


@pytest.fixture
def queues():
    """Publishing to the real Redis, on queues of this test's own."""
    need_service("Redis", broker_url(), 6379)
    default = f"sms-test-routes-{timezone.now().timestamp():.6f}"
    names = ("task_always_eager", "broker_url", "task_default_queue", "queue_prefix")
    saved = {name: app.conf[name] for name in names}
    app.conf.task_always_eager, app.conf.broker_url = False, broker_url()
    app.conf.task_default_queue, app.conf.queue_prefix = default, f"{default}."
    client = redis.Redis.from_url(broker_url())
    yield client, default
    for name, value in saved.items():
        app.conf[name] = value
    for key in client.keys(f"{default}*") + client.keys(f"_kombu.binding.{default}*"):
        client.delete(key)
    client.close()


def test_every_kind_of_task_is_published_to_its_own_queue(queues):
    client, default = queues
    published = {
        "reports": render_report,
        "email": send_outbox_message,
        "webhooks": deliver_webhook,
        "imports": run_import,
        "sweeps": reminder_sweep,
    }
    for task in published.values():
        enqueue(task, 0)
    enqueue(refresh_project_progress, 0)
    webhooks_flush.apply_async()  # as beat sends it: through the same router

    for kind in ("reports", "email", "imports"):
        assert client.llen(f"{default}.{kind}") == 1, kind
    assert client.llen(f"{default}.webhooks") == 1
    assert client.llen(f"{default}.sweeps") == 2
    assert client.llen(default) == 1  # the rest: the default queue


class HangingReceiver:
    """A webhook receiver that takes the request and never answers (a stuck endpoint)."""

    def __init__(self):
        self.server = socket.create_server(("127.0.0.1", 0))
        self.connections: list[socket.socket] = []
        self.thread = threading.Thread(target=self._accept, daemon=True)
        self.thread.start()

    def _accept(self):
        while True:
            try:
                connection, _ = self.server.accept()
            except OSError:
                return
            self.connections.append(connection)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.getsockname()[1]}/hook"

    def stop(self):
        self.server.close()
        for connection in self.connections:
            connection.close()


@pytest.fixture
def hanging_receiver(settings, monkeypatch):
    monkeypatch.setenv("WEBHOOK_ALLOW_PRIVATE_ADDRESSES", "1")
    monkeypatch.setenv("WEBHOOK_TIMEOUT_SECONDS", "600")  # the post hangs for the whole test
    settings.WEBHOOK_ALLOW_PRIVATE_ADDRESSES = True
    receiver = HangingReceiver()
    yield receiver
    receiver.stop()


def test_a_stuck_webhook_queue_never_delays_email_or_reports(workers, world, client_for, hanging_receiver):
    make_webhook(world.project, user=world.user("lead"), url=hanging_receiver.url, events=["task.done"])
    contributor_user = world.user("contributor")
    tasks = [make_task(world.project, title=f"Task {n}", assignee=contributor_user) for n in range(3)]
    # One worker per queue, as deployed (docs/operations.md).
    workers.start("webhooks", kinds=["webhooks"])
    workers.start("email", kinds=["email"])
    workers.start("reports", kinds=["reports"])
    workers.start("default", kinds=["default"])
    contributor = client_for("contributor")
    for task in tasks:
        contributor.post(f"/projects/{world.project.pk}/tasks/{task.pk}/complete/", {"done": "1"})
    assert WebhookDelivery.objects.count() == 3
    # The webhook worker is now stuck in the first post; the two others wait behind it.
    wait_for(lambda: hanging_receiver.connections, timeout=60, workers=workers, what="the stuck post")

    message = outbox_record(
        recipient=world.user("viewer"),
        subject_type="project",
        subject_id=world.project.pk,
        kind="monthly_report",
        day=timezone.localdate(),
        subject="While the webhooks are stuck",
        body_text="Body",
    )
    enqueue_send(message.pk)
    assert client_for("viewer").post(f"/projects/{world.project.pk}/reports/new/", {"report": "management"})
    report = Report.objects.get(project=world.project)

    wait_for(
        lambda: OutboxMessage.objects.filter(pk=message.pk, status=OutboxStatus.SENT).exists(),
        timeout=60,
        workers=workers,
        what="the e-mail sent while the webhook queue is stuck",
    )
    wait_for(
        lambda: Report.objects.filter(pk=report.pk, status=ReportStatus.DONE).exists(),
        timeout=90,
        workers=workers,
        what="the report rendered while the webhook queue is stuck",
    )
    # The webhook queue really was stuck all along: nothing delivered, two posts still waiting.
    assert not WebhookDelivery.objects.filter(status=DeliveryStatus.DELIVERED).exists()
    assert workers.queue_length("webhooks") == 2
    assert len(hanging_receiver.connections) == 1
    assert any("While the webhooks are stuck" in sent for sent in workers.sent_messages())


def test_a_worker_without_q_takes_every_queue_each_on_its_own_routing_key():
    """`make worker` (no -Q) serves a one-box install; the per-queue workers pick theirs with -Q."""
    declared = {queue.name: queue for queue in app.conf.task_queues}
    assert sorted(declared) == sorted(["celery", "reports", "email", "webhooks", "imports", "sweeps"])
    for name, queue in declared.items():
        # One shared key would deliver a message for one queue to all of them.
        assert queue.routing_key == name and queue.exchange.name == name


def test_the_routing_table_names_real_tasks_and_every_periodic_task_is_a_sweep(settings):
    from sms_tracker.celery import TASK_KINDS

    app.loader.import_default_modules()
    unknown = sorted(name for name in TASK_KINDS if name not in app.tasks)
    assert not unknown  # a renamed task would silently fall back to the default queue
    for entry in settings.CELERY_BEAT_SCHEDULE.values():
        assert TASK_KINDS.get(entry["task"]) == "sweeps", entry["task"]
