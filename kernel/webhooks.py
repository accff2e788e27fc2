"""Webhooks, the kernel's part: the events a project announces, publishing one in the transaction of
the change (the outbox pattern, as for e-mail), and the tasks that post the deliveries.

An event and one delivery row per listening endpoint are written with the change that caused it;
once it commits, a task posts each delivery (webhook_delivery.delivery_attempt), retrying with
backoff; a periodic flush picks up deliveries whose task was lost. One row per endpoint and event,
claimed before each attempt, so no event reaches an endpoint twice. The pages that manage the
endpoints are in webhooks/.
"""

from __future__ import annotations

import logging

from celery import shared_task
from django.core.cache import cache
from django.db import transaction
from django.utils import timezone

from kernel import extensions, webhook_delivery
from kernel.queueing import QueueUnavailable, enqueue
from kernel.tables import Table
from kernel.webhook_delivery import DeliveryStatus, WebhookDelivery

logger = logging.getLogger(__name__)

WebhookEndpoint = Table("webhook_endpoint")  # the webhooks app's tables
WebhookEvent = Table("webhook_event")

# The event names are the apps' contributions (Contributions.webhook_events; extensions.webhook_events()).

# Which active endpoints of a project listen to what, read on every publish: kept in the cache so a
# project without webhooks pays no query (the answer autosave is the busiest write of the app).
# A change to an endpoint clears it; the timeout bounds staleness where each process has its own cache.
SUBSCRIPTIONS_TIMEOUT = 60


def _subscriptions_key(project_id: int) -> str:
    return f"webhooks:subscriptions:{project_id}"


def subscriptions(project_id: int) -> dict[int, list[str]]:
    key = _subscriptions_key(project_id)
    found = cache.get(key)
    if found is None:
        found = {
            endpoint_id: events
            for endpoint_id, events in WebhookEndpoint.objects.filter(
                project_id=project_id, active=True
            ).values_list("pk", "events")
        }
        cache.set(key, found, SUBSCRIPTIONS_TIMEOUT)
    return found


def subscriptions_changed(project_id: int) -> None:
    """Called by every write to a project's endpoints: forget the cached subscriptions now (for the
    rest of this transaction) and once it commits (for reads that came in between)."""
    cache.delete(_subscriptions_key(project_id))
    transaction.on_commit(lambda: cache.delete(_subscriptions_key(project_id)))


def listens(project_id: int, name: str) -> bool:
    return any(name in events for events in subscriptions(project_id).values())


def webhook_publish(*, project, name: str, key: str, data: dict) -> WebhookEvent | None:
    """Record the event and a delivery per listening endpoint in the current transaction; the
    deliveries are queued once it commits. `key` names the change (e.g. "task.done:42:v3"): a second
    publish under it records nothing. Returns None when no endpoint listens."""
    if name not in extensions.webhook_events():
        raise ValueError(f"Unknown webhook event {name!r}")
    project_id = getattr(project, "pk", project)
    if not any(name in events for events in subscriptions(project_id).values()):
        return None
    # The cache only says whether anyone may listen; the rows say who does (an endpoint removed
    # or paused a moment ago, or one a rolled-back transaction left in the cache, gets nothing).
    targets = [
        endpoint_id
        for endpoint_id, events in WebhookEndpoint.objects.filter(
            project_id=project_id, active=True
        ).values_list("pk", "events")
        if name in events
    ]
    if not targets:
        return None
    with transaction.atomic():
        WebhookEvent.objects.bulk_create(
            [
                WebhookEvent(
                    project_id=project_id,
                    name=name,
                    key=key[:200],
                    payload={"event": name, "project": project_id, "data": data},
                    occurred_at=timezone.now(),
                )
            ],
            ignore_conflicts=True,
        )
        event = WebhookEvent.objects.get(project_id=project_id, key=key[:200])
        WebhookDelivery.objects.bulk_create(
            [WebhookDelivery(endpoint_id=endpoint_id, event=event) for endpoint_id in targets],
            ignore_conflicts=True,
        )
    transaction.on_commit(lambda: deliveries_enqueue(event_id=event.pk))
    return event


def site_url(path: str) -> str:
    """An absolute address for a payload (receivers are outside the installation)."""
    from django.conf import settings

    return settings.SITE_URL.rstrip("/") + path


def actor(user) -> dict | None:
    return None if user is None else {"username": user.get_username(), "name": user.get_full_name()}


def deliveries_enqueue(*, event_id: int) -> None:

    ids = WebhookDelivery.objects.filter(event_id=event_id, status=DeliveryStatus.PENDING).values_list(
        "pk", flat=True
    )
    for delivery_id in ids:
        try:
            enqueue(deliver_webhook, delivery_id)
        except QueueUnavailable as error:
            # Stays pending: the periodic flush posts it once the broker is back.
            logger.warning("Webhook delivery %s not queued: %s", delivery_id, error)


def deliver_due() -> int:
    """Queue every pending delivery whose time has come (the periodic flush)."""

    ids = webhook_delivery.due_delivery_ids()
    for delivery_id in ids:
        try:
            enqueue(deliver_webhook, delivery_id)
        except QueueUnavailable as error:
            logger.warning("Webhook delivery %s not queued: %s", delivery_id, error)
            break
    return len(ids)


# Named after this module (TASK_KINDS in sms_tracker/celery.py and the beat schedule use the names).
@shared_task(bind=True, acks_late=True, max_retries=None, name="kernel.webhooks.deliver_webhook")
def deliver_webhook(self, delivery_id: int) -> str:
    try:
        return webhook_delivery.delivery_attempt(delivery_id=delivery_id)
    except webhook_delivery.RetryLater as pending:
        # The row holds the schedule (next_attempt_at); the retry is only the wake-up call. Run
        # eagerly (the embedded start) there is no later: the lead's "Retry now" sends it again.
        if self.request.is_eager:
            return "pending"
        raise self.retry(countdown=pending.countdown, exc=pending) from pending


@shared_task(acks_late=True, name="kernel.webhooks.webhooks_flush")
def webhooks_flush() -> int:
    return deliver_due()
