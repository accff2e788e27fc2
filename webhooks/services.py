"""Writes of the webhooks' pages: a lead registers, changes and removes endpoints, pings one and
redelivers a delivery."""

from __future__ import annotations

import uuid

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_noop

from kernel.concurrency import lock_for_edit
from kernel.extensions import webhook_events
from kernel.queueing import QueueUnavailable, enqueue
from kernel.webhook_delivery import DeliveryStatus, check_destination
from kernel.webhooks import subscriptions_changed
from projects.services import activity_record
from webhooks.models import WebhookDelivery, WebhookEndpoint, WebhookEvent, new_webhook_secret

PING_NOT_QUEUED = "Not sent: the task queue was unreachable when the ping was asked for."


def _queue_now(delivery: WebhookDelivery, *, fail_if_not_queued: bool) -> None:
    """After the commit: queue the delivery. If the broker is down, `delivery.queue_error` says so
    for the page; a ping is then failed (the lead is told to ask again, so it must not go out later
    as well), a redelivery stays pending for the periodic flush."""
    from kernel.webhooks import deliver_webhook

    try:
        enqueue(deliver_webhook, delivery.pk)
    except QueueUnavailable as error:
        delivery.queue_error = str(error)
        if fail_if_not_queued:
            WebhookDelivery.objects.filter(pk=delivery.pk, status=DeliveryStatus.PENDING, attempts=0).update(
                status=DeliveryStatus.FAILED, last_error=PING_NOT_QUEUED, updated_at=timezone.now()
            )


def _check_url(url: str) -> None:
    try:
        check_destination(url, resolve=False)
    except ValidationError as error:
        raise ValidationError({"url": error.messages}) from error


def _clean_events(events) -> list[str]:
    chosen = [name for name in webhook_events() if name in set(events or ())]
    if not chosen:
        raise ValidationError({"events": "Choose at least one event."})
    return chosen


@transaction.atomic
def endpoint_create(
    *, project, user, url: str, events, description: str = "", active: bool = True
) -> WebhookEndpoint:
    _check_url(url)
    endpoint = WebhookEndpoint(
        project=project,
        url=url,
        events=_clean_events(events),
        description=description,
        active=active,
        created_by=user,
    )
    endpoint.full_clean()
    endpoint.save()
    subscriptions_changed(project.pk)
    activity_record(
        project=project,
        actor=user,
        verb="webhook added",
        message=gettext_noop("Webhook to %(url)s added"),
        values={"url": url},
    )
    return endpoint


@transaction.atomic
def endpoint_update(
    *,
    endpoint: WebhookEndpoint,
    user,
    expected_version: int,
    url: str,
    events,
    description: str = "",
    active: bool = True,
    new_secret: bool = False,
) -> WebhookEndpoint:
    endpoint = lock_for_edit(WebhookEndpoint, endpoint.pk, expected_version=expected_version)
    _check_url(url)
    endpoint.url, endpoint.events = url, _clean_events(events)
    endpoint.description, endpoint.active = description, active
    if new_secret:
        endpoint.secret = new_webhook_secret()
    endpoint.version += 1
    endpoint.full_clean()
    endpoint.save()
    subscriptions_changed(endpoint.project_id)
    return endpoint


@transaction.atomic
def endpoint_delete(*, endpoint: WebhookEndpoint, user) -> None:
    project, url = endpoint.project, endpoint.url
    endpoint.delete()
    subscriptions_changed(project.pk)
    activity_record(
        project=project,
        actor=user,
        verb="webhook removed",
        message=gettext_noop("Webhook to %(url)s removed"),
        values={"url": url},
    )


@transaction.atomic
def endpoint_ping(*, endpoint: WebhookEndpoint, user) -> WebhookDelivery:
    """A test delivery to this endpoint alone."""
    event = WebhookEvent.objects.create(
        project_id=endpoint.project_id,
        name="ping",
        key=f"ping:{endpoint.pk}:{uuid.uuid4().hex}",
        payload={"event": "ping", "project": endpoint.project_id, "data": {"sent_by": user.get_username()}},
    )
    delivery = WebhookDelivery.objects.create(endpoint=endpoint, event=event)
    transaction.on_commit(lambda: _queue_now(delivery, fail_if_not_queued=True))
    return delivery


@transaction.atomic
def delivery_redeliver(*, delivery: WebhookDelivery, user) -> WebhookDelivery:
    """Send a failed delivery again, from its first attempt, or one waiting for its next attempt
    now; one being sent or delivered is left alone (the claim before each post keeps it single)."""
    retryable = Q(status=DeliveryStatus.FAILED) | Q(status=DeliveryStatus.PENDING, attempts__gt=0)
    updated = WebhookDelivery.objects.filter(retryable, pk=delivery.pk).update(
        status=DeliveryStatus.PENDING, attempts=0, next_attempt_at=timezone.now(), updated_at=timezone.now()
    )
    if not updated:
        raise ValidationError("Only a failed delivery, or one waiting to be tried again, can be sent now.")
    transaction.on_commit(lambda: _queue_now(delivery, fail_if_not_queued=False))
    delivery.refresh_from_db()
    return delivery
