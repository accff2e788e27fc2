"""Posting one webhook delivery: claim it, sign it, send it, record what the receiver said. The claim,
the retries with backoff and the sweep of stuck posts are the delivery row machine's (kernel/delivery.py)."""

from __future__ import annotations

import hashlib
import hmac
import http.client
import json
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone

from kernel import delivery, safe_http
from kernel.tables import Table

SENDING_STALE_AFTER = timedelta(minutes=15)
USER_AGENT = "SMS-Tracker-Webhooks/1"


WebhookDelivery = Table("webhook_delivery")  # webhooks.WebhookDelivery


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", "Pending"
    SENDING = "sending", "Sending"
    DELIVERED = "delivered", "Delivered"
    FAILED = "failed", "Failed"


def backoff_seconds(attempts: int) -> int:
    base = settings.WEBHOOK_RETRY_BASE_SECONDS
    return min(base * 2 ** max(attempts - 1, 0), 3600)


# The deliveries' part in the delivery row machine (webhooks.WebhookDelivery.machine).
MACHINE = delivery.Machine(
    pending=DeliveryStatus.PENDING,
    claimed=DeliveryStatus.SENDING,
    done=DeliveryStatus.DELIVERED,
    failed=DeliveryStatus.FAILED,
    max_attempts=lambda: settings.WEBHOOK_MAX_ATTEMPTS,
    lease=lambda: SENDING_STALE_AFTER,
    done_at="delivered_at",
    due_at="next_attempt_at",
    backoff=backoff_seconds,
    stuck_error=(
        "The sender stopped while posting; not posted again as it may have arrived. Redeliver it if not."
    ),
)
# Only an endpoint still active is posted to (a paused one keeps its deliveries pending).
ACTIVE_ENDPOINT = Q(endpoint__active=True)


class RetryLater(RuntimeError):
    """The receiver failed or could not be reached; the delivery is pending again."""

    def __init__(self, message: str, countdown: int):
        super().__init__(message)
        self.countdown = countdown


def signature(secret: str, timestamp: str, body: bytes) -> str:
    """HMAC-SHA256 over "<timestamp>.<body>": a receiver recomputes it with the endpoint's secret and
    rejects an old timestamp, so a captured delivery cannot be replayed later."""
    mac = hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256)
    return "sha256=" + mac.hexdigest()


def check_destination(url: str, *, resolve: bool = True) -> None:
    """Refuse addresses inside the installation's own network (loopback, private, link-local,
    multicast, NAT64/6to4/mapped forms of those): a webhook must not become a way to probe internal
    services. Saving an endpoint checks what the address says (a literal IP, "localhost"); each post
    resolves the name once and connects to the address it checked (kernel/safe_http.py).
    Allowed where the setting says so (the embedded start, and tests whose receivers run on 127.0.0.1)."""
    try:
        safe_http.check_url(url, allow_private=settings.WEBHOOK_ALLOW_PRIVATE_ADDRESSES, resolve=resolve)
    except safe_http.DestinationRefused as error:
        raise ValidationError(str(error)) from error
    except safe_http.DeadlineExceeded as error:
        raise ValidationError(f"{error}") from error


def delivery_body(row: WebhookDelivery) -> bytes:
    event = row.event
    payload = {
        "id": event.pk,
        "event": event.name,
        "occurred_at": event.occurred_at.isoformat(),
        "project": event.payload.get("project"),
        "data": event.payload.get("data", {}),
    }
    return json.dumps(payload, sort_keys=True, separators=(",", ":")).encode()


def _post(row: WebhookDelivery) -> tuple[int | None, str]:
    endpoint = row.endpoint
    body = delivery_body(row)
    timestamp = str(int(timezone.now().timestamp()))
    # http.client sends header names as given (urllib.request would re-case them "X-sms-tracker-event"):
    # receivers see the documented names; tests/friction/test_webhook_header_case.py reads the wire.
    headers = {
        "Content-Type": "application/json",
        "User-Agent": USER_AGENT,
        "X-SMS-Tracker-Event": row.event.name,
        "X-SMS-Tracker-Delivery": str(row.pk),
        "X-SMS-Tracker-Timestamp": timestamp,
        "X-SMS-Tracker-Signature": signature(endpoint.secret, timestamp, body),
    }
    try:
        # Resolved once, checked, connected to the address checked; one deadline for the whole post.
        reply = safe_http.post(
            endpoint.url,
            body=body,
            headers=headers,
            timeout=settings.WEBHOOK_TIMEOUT_SECONDS,
            allow_private=settings.WEBHOOK_ALLOW_PRIVATE_ADDRESSES,
        )
    except safe_http.DestinationRefused as error:
        return None, str(error)
    except (OSError, ValueError, http.client.HTTPException) as error:
        return None, f"{type(error).__name__}: {error}"[:2000]
    if 200 <= reply.status < 300:
        return reply.status, ""
    # A redirect is an answer like any other non-2xx one: the payload is not re-posted elsewhere.
    return reply.status, f"HTTP {reply.status} {reply.reason}"


def delivery_attempt(*, delivery_id: int) -> str:
    """Post one delivery if it is due and nobody else holds it. Raises RetryLater on a failure that
    leaves attempts; after the last attempt the delivery is failed (the lead can redeliver it)."""
    if not delivery.claim(WebhookDelivery, delivery_id, where=ACTIVE_ENDPOINT):
        return "skipped"
    row = WebhookDelivery.objects.select_related("endpoint", "event").get(pk=delivery_id)
    status_code, error = _post(row)
    if status_code is not None and 200 <= status_code < 300:
        delivery.succeed(WebhookDelivery, delivery_id, last_status_code=status_code)
        return "delivered"
    countdown = delivery.retry_or_give_up(WebhookDelivery, row, error=error, last_status_code=status_code)
    if countdown is None:
        return "failed"
    raise RetryLater(error, countdown)


def due_delivery_ids(limit: int = 500) -> list[int]:
    """Pending deliveries whose time has come (their queued task lost or its retry gone), after
    failing the ones a worker stopped sending: not posted again, as it may have arrived."""
    delivery.sweep_stuck(WebhookDelivery)
    return delivery.due_ids(WebhookDelivery, where=ACTIVE_ENDPOINT, limit=limit)
