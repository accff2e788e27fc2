"""Posting deliveries to a real receiver on 127.0.0.1: signed, retried with backoff, never twice."""

import hashlib
import hmac
import json
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from kernel.webhook_delivery import DeliveryStatus, RetryLater, delivery_attempt, due_delivery_ids
from projects import services as project_services
from tests.factories import make_task, make_webhook
from webhooks.models import WebhookDelivery
from webhooks.services import delivery_redeliver

pytestmark = pytest.mark.django_db


def _completed_task_delivery(world, receiver, **endpoint):
    make_webhook(world.project, user=world.user("lead"), url=receiver.url, events=["task.done"], **endpoint)
    task = make_task(world.project, title="Define the service catalogue")
    project_services.task_set_done(task=task, user=world.user("lead"))
    return WebhookDelivery.objects.select_related("endpoint").get()


def _due_now(delivery):
    """Time passes: the backoff pause is over."""
    WebhookDelivery.objects.filter(pk=delivery.pk).update(next_attempt_at=timezone.now())


def test_a_delivery_is_signed_with_the_endpoints_secret(world, receiver):
    delivery = _completed_task_delivery(world, receiver)

    assert delivery_attempt(delivery_id=delivery.pk) == "delivered"

    (received,) = receiver.requests
    headers = {k.lower(): v for k, v in received.headers.items()}
    expected = hmac.new(
        delivery.endpoint.secret.encode(),
        headers["x-sms-tracker-timestamp"].encode() + b"." + received.body,
        hashlib.sha256,
    ).hexdigest()
    assert headers["x-sms-tracker-signature"] == f"sha256={expected}"
    assert headers["x-sms-tracker-event"] == "task.done"
    assert headers["x-sms-tracker-delivery"] == str(delivery.pk)
    assert headers["content-type"] == "application/json"
    payload = json.loads(received.body)
    assert payload["event"] == "task.done" and payload["project"] == world.project.pk
    assert payload["data"]["task"]["title"] == "Define the service catalogue"
    delivery.refresh_from_db()
    assert (delivery.status, delivery.last_status_code, delivery.attempts) == (
        DeliveryStatus.DELIVERED,
        200,
        1,
    )


def test_a_receiver_that_fails_twice_then_accepts_gets_the_event_exactly_once(world, receiver):
    receiver.script = [500, 503]
    delivery = _completed_task_delivery(world, receiver)

    with pytest.raises(RetryLater) as first:
        delivery_attempt(delivery_id=delivery.pk)
    assert first.value.countdown == 30
    assert delivery_attempt(delivery_id=delivery.pk) == "skipped"  # not due yet: the pause holds
    _due_now(delivery)
    with pytest.raises(RetryLater) as second:
        delivery_attempt(delivery_id=delivery.pk)
    assert second.value.countdown == 60  # the pause doubles
    _due_now(delivery)
    assert delivery_attempt(delivery_id=delivery.pk) == "delivered"
    _due_now(delivery)
    assert delivery_attempt(delivery_id=delivery.pk) == "skipped"  # a late retry sends nothing more

    assert [r.answered for r in receiver.requests] == [500, 503, 200]
    assert len(receiver.accepted) == 1
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == (DeliveryStatus.DELIVERED, 3)


def test_after_the_last_attempt_the_delivery_fails_and_the_lead_can_send_it_again(world, receiver, settings):
    settings.WEBHOOK_MAX_ATTEMPTS = 2
    receiver.script = [500, 500]
    delivery = _completed_task_delivery(world, receiver)
    with pytest.raises(RetryLater):
        delivery_attempt(delivery_id=delivery.pk)
    _due_now(delivery)
    assert delivery_attempt(delivery_id=delivery.pk) == "failed"
    delivery.refresh_from_db()
    assert (delivery.status, delivery.last_status_code) == (DeliveryStatus.FAILED, 500)
    assert "HTTP 500" in delivery.last_error

    delivery_redeliver(delivery=delivery, user=world.user("lead"))
    assert delivery_attempt(delivery_id=delivery.pk) == "delivered"
    assert len(receiver.accepted) == 1


def test_only_a_failed_delivery_can_be_sent_again(world, receiver):
    delivery = _completed_task_delivery(world, receiver)
    delivery_attempt(delivery_id=delivery.pk)
    with pytest.raises(ValidationError):
        delivery_redeliver(delivery=delivery, user=world.user("lead"))


def test_a_redirect_is_a_failure_and_is_not_followed(world, receiver):
    receiver.script = [302]
    delivery = _completed_task_delivery(world, receiver)
    with pytest.raises(RetryLater):
        delivery_attempt(delivery_id=delivery.pk)
    assert len(receiver.requests) == 1
    delivery.refresh_from_db()
    assert delivery.last_status_code == 302 and delivery.status == DeliveryStatus.PENDING


def test_a_receiver_that_cannot_be_reached_is_retried(world, receiver):
    delivery = _completed_task_delivery(world, receiver)
    receiver.stop()
    with pytest.raises(RetryLater):
        delivery_attempt(delivery_id=delivery.pk)
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.PENDING and delivery.last_status_code is None
    assert delivery.last_error


def test_an_internal_address_is_refused_at_send_time_where_not_allowed(world, receiver, settings):
    delivery = _completed_task_delivery(world, receiver)
    settings.WEBHOOK_ALLOW_PRIVATE_ADDRESSES = False
    with pytest.raises(RetryLater):
        delivery_attempt(delivery_id=delivery.pk)
    assert receiver.requests == []
    delivery.refresh_from_db()
    assert "internal address" in delivery.last_error


def test_a_paused_endpoint_gets_nothing(world, receiver):
    delivery = _completed_task_delivery(world, receiver)
    delivery.endpoint.active = False
    delivery.endpoint.save()
    assert delivery_attempt(delivery_id=delivery.pk) == "skipped"
    assert receiver.requests == []


def test_a_delivery_a_worker_stopped_sending_is_failed_not_sent_again(world, receiver):
    delivery = _completed_task_delivery(world, receiver)
    WebhookDelivery.objects.filter(pk=delivery.pk).update(
        status=DeliveryStatus.SENDING, claimed_at=timezone.now() - timedelta(hours=1), attempts=1
    )
    assert due_delivery_ids() == []
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.FAILED and "may have arrived" in delivery.last_error
    assert receiver.requests == []


def test_the_flush_finds_due_pending_deliveries_only(world, receiver):
    delivery = _completed_task_delivery(world, receiver)
    assert due_delivery_ids() == [delivery.pk]
    WebhookDelivery.objects.filter(pk=delivery.pk).update(
        next_attempt_at=timezone.now() + timedelta(minutes=5)
    )
    assert due_delivery_ids() == []


def test_a_delivery_waiting_for_its_next_attempt_can_be_tried_now(world, receiver):
    receiver.script = [500]
    delivery = _completed_task_delivery(world, receiver)
    with pytest.raises(RetryLater):
        delivery_attempt(delivery_id=delivery.pk)
    delivery_redeliver(delivery=delivery, user=world.user("lead"))
    assert delivery_attempt(delivery_id=delivery.pk) == "delivered"
    assert [r.answered for r in receiver.requests] == [500, 200]


def test_run_eagerly_a_failed_post_waits_instead_of_raising(world, receiver, settings):
    from kernel.webhooks import deliver_webhook
    from sms_tracker.celery import app

    receiver.script = [500]
    delivery = _completed_task_delivery(world, receiver)
    saved = app.conf.task_always_eager
    app.conf.task_always_eager = True
    try:
        result = deliver_webhook.apply_async(args=[delivery.pk])
    finally:
        app.conf.task_always_eager = saved
    assert result.get() == "pending"
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.PENDING and delivery.attempts == 1
