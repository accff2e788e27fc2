"""Posting one webhook delivery: claim it, sign it, send it, record what the receiver said."""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
import json
import socket
import urllib.error
import urllib.request
from datetime import timedelta
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import F
from django.utils import timezone

from sms_tracker.models import DeliveryStatus, WebhookDelivery

SENDING_STALE_AFTER = timedelta(minutes=15)
USER_AGENT = "SMS-Tracker-Webhooks/1"


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
    """Refuse addresses inside the installation's own network (loopback, private, link-local): a
    webhook must not become a way to probe internal services. Saving an endpoint checks what the
    address says (a literal IP, "localhost"); each post resolves the name again, as its address may
    have changed since. Allowed where the setting says so (the embedded start, and tests whose
    receivers run on 127.0.0.1)."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValidationError("Enter an http:// or https:// address.")
    if settings.WEBHOOK_ALLOW_PRIVATE_ADDRESSES:
        return
    host = parts.hostname
    if host == "localhost" or host.endswith(".localhost"):
        raise ValidationError(_INTERNAL.format(host=host))
    try:
        addresses = [ipaddress.ip_address(host)]
    except ValueError:
        if not resolve:
            return
        try:
            infos = socket.getaddrinfo(host, parts.port or 443, type=socket.SOCK_STREAM)
        except (socket.gaierror, UnicodeError) as error:
            raise ValidationError(f"The host {host} cannot be resolved.") from error
        addresses = [ipaddress.ip_address(info[4][0]) for info in infos]
    if any(not address.is_global for address in addresses):
        raise ValidationError(_INTERNAL.format(host=host))


_INTERNAL = "{host} is an internal address; webhooks go to public addresses only."


def backoff_seconds(attempts: int) -> int:
    base = settings.WEBHOOK_RETRY_BASE_SECONDS
    return min(base * 2 ** max(attempts - 1, 0), 3600)


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    # A redirect is an answer like any other non-2xx one: the payload is not re-posted elsewhere.
    def redirect_request(self, *args, **kwargs):
        return None


_opener = urllib.request.build_opener(_NoRedirects)


def _claim(delivery_id: int) -> bool:
    now = timezone.now()
    return (
        WebhookDelivery.objects.filter(
            pk=delivery_id, status=DeliveryStatus.PENDING, next_attempt_at__lte=now, endpoint__active=True
        ).update(status=DeliveryStatus.SENDING, claimed_at=now, attempts=F("attempts") + 1, updated_at=now)
        == 1
    )


def delivery_body(delivery: WebhookDelivery) -> bytes:
    event = delivery.event
    payload = {
        "id": event.pk,
        "event": event.name,
        "occurred_at": event.occurred_at.isoformat(),
        "project": event.payload.get("project"),
        "data": event.payload.get("data", {}),
    }
    return json.dumps(payload, sort_keys=True, separators=(",", ":")).encode()


def _post(delivery: WebhookDelivery) -> tuple[int | None, str]:
    endpoint = delivery.endpoint
    body = delivery_body(delivery)
    timestamp = str(int(timezone.now().timestamp()))
    request = urllib.request.Request(
        endpoint.url,
        data=body,
        method="POST",
        headers={
            "Content-Type": "application/json",
            "User-Agent": USER_AGENT,
            "X-SMS-Tracker-Event": delivery.event.name,
            "X-SMS-Tracker-Delivery": str(delivery.pk),
            "X-SMS-Tracker-Timestamp": timestamp,
            "X-SMS-Tracker-Signature": signature(endpoint.secret, timestamp, body),
        },
    )
    try:
        check_destination(endpoint.url)
        with _opener.open(request, timeout=settings.WEBHOOK_TIMEOUT_SECONDS) as reply:
            return reply.status, ""
    except urllib.error.HTTPError as error:
        return error.code, f"HTTP {error.code} {error.reason}"
    except ValidationError as error:
        return None, " ".join(error.messages)
    except (urllib.error.URLError, OSError, ValueError) as error:
        return None, f"{type(error).__name__}: {error}"[:2000]


def delivery_attempt(*, delivery_id: int) -> str:
    """Post one delivery if it is due and nobody else holds it. Raises RetryLater on a failure that
    leaves attempts; after the last attempt the delivery is failed (the lead can redeliver it)."""
    if not _claim(delivery_id):
        return "skipped"
    delivery = WebhookDelivery.objects.select_related("endpoint", "event").get(pk=delivery_id)
    status_code, error = _post(delivery)
    now = timezone.now()
    held = WebhookDelivery.objects.filter(pk=delivery_id, status=DeliveryStatus.SENDING)
    if status_code is not None and 200 <= status_code < 300:
        held.update(
            status=DeliveryStatus.DELIVERED,
            delivered_at=now,
            last_status_code=status_code,
            last_error="",
            updated_at=now,
        )
        return "delivered"
    if delivery.attempts >= settings.WEBHOOK_MAX_ATTEMPTS:
        held.update(
            status=DeliveryStatus.FAILED, last_status_code=status_code, last_error=error, updated_at=now
        )
        return "failed"
    countdown = backoff_seconds(delivery.attempts)
    held.update(
        status=DeliveryStatus.PENDING,
        next_attempt_at=now + timedelta(seconds=countdown),
        last_status_code=status_code,
        last_error=error,
        updated_at=now,
    )
    raise RetryLater(error, countdown)


def due_delivery_ids(limit: int = 500) -> list[int]:
    """Pending deliveries whose time has come (their queued task lost or its retry gone), after
    failing the ones a worker stopped sending: not posted again, as it may have arrived."""
    now = timezone.now()
    WebhookDelivery.objects.filter(
        status=DeliveryStatus.SENDING, claimed_at__lt=now - SENDING_STALE_AFTER
    ).update(
        status=DeliveryStatus.FAILED,
        last_error="The sender stopped while posting; not posted again as it may have arrived. "
        "Redeliver it if not.",
        updated_at=now,
    )
    return list(
        WebhookDelivery.objects.filter(
            status=DeliveryStatus.PENDING, next_attempt_at__lte=now, endpoint__active=True
        ).values_list("pk", flat=True)[:limit]
    )
