"""Webhooks through a real `celery worker` and the real Redis broker, to a real receiver on 127.0.0.1."""

import time

import pytest

from kernel.webhook_delivery import DeliveryStatus
from tests.background.workers import wait_for
from tests.factories import make_task, make_webhook
from tests.webhooks.receiver import Receiver
from webhooks.models import WebhookDelivery

pytestmark = pytest.mark.services


@pytest.fixture
def receiver(settings, monkeypatch):
    # The worker process reads its settings from the environment: short pauses, receivers on 127.0.0.1.
    monkeypatch.setenv("WEBHOOK_RETRY_BASE_SECONDS", "1")
    monkeypatch.setenv("WEBHOOK_ALLOW_PRIVATE_ADDRESSES", "1")
    settings.WEBHOOK_ALLOW_PRIVATE_ADDRESSES = True
    found = Receiver(script=[500, 503])
    yield found
    found.stop()


def test_a_receiver_failing_twice_then_accepting_gets_the_event_exactly_once(
    workers, world, client_for, receiver
):
    make_webhook(world.project, user=world.user("lead"), url=receiver.url, events=["task.done"])
    task = make_task(world.project, title="Agree the SLA template", assignee=world.user("contributor"))
    workers.start("hooks", concurrency=2)

    response = client_for("contributor").post(
        f"/projects/{world.project.pk}/tasks/{task.pk}/complete/", {"done": "1"}
    )

    assert response.status_code in (200, 302)
    delivery = WebhookDelivery.objects.get()
    wait_for(
        lambda: WebhookDelivery.objects.filter(pk=delivery.pk, status=DeliveryStatus.DELIVERED).exists(),
        timeout=60,
        workers=workers,
        what="delivery accepted after two failures",
    )
    time.sleep(3)  # room for a duplicate to show up, were one sent
    assert [r.answered for r in receiver.requests] == [500, 503, 200]
    assert len(receiver.accepted) == 1
    assert receiver.accepted[0].payload["data"]["task"]["title"] == "Agree the SLA template"
    delivery.refresh_from_db()
    assert delivery.attempts == 3
