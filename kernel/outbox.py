"""The e-mail outbox: each message is a row under a unique key, recorded before it is sent.

Recording is idempotent (a second sweep, a retried task or a second worker inserts nothing);
sending claims the row (pending -> sending), sends outside any transaction, then marks it sent,
through the delivery row machine (kernel/delivery.py). A message whose sender vanished mid-send is
marked failed rather than sent again: we prefer a missed reminder to a duplicate one (README,
"Background work").
"""

import logging
import smtplib
import unicodedata
from datetime import timedelta

from celery import shared_task
from django.conf import settings
from django.core.mail import BadHeaderError, EmailMultiAlternatives
from django.db import models
from django.db.models import Q

from . import delivery, extensions
from .i18n import in_language_of
from .queueing import QueueUnavailable, enqueue
from .tables import Table

logger = logging.getLogger(__name__)

SENDING_STALE_AFTER = timedelta(minutes=30)

OutboxMessage = Table("outbox")  # notifications.OutboxMessage


class OutboxStatus(models.TextChoices):
    PENDING = "pending", "Pending"
    SENDING = "sending", "Sending"
    SENT = "sent", "Sent"
    FAILED = "failed", "Failed"


# The outbox's part in the delivery row machine (notifications.OutboxMessage.machine).
MACHINE = delivery.Machine(
    pending=OutboxStatus.PENDING,
    claimed=OutboxStatus.SENDING,
    done=OutboxStatus.SENT,
    failed=OutboxStatus.FAILED,
    max_attempts=lambda: settings.OUTBOX_MAX_ATTEMPTS,
    lease=lambda: SENDING_STALE_AFTER,
    done_at="sent_at",
    stuck_error="The sender stopped while sending; not sent again to avoid a duplicate.",
)


class TransientSendError(RuntimeError):
    """The mail server refused or was unreachable; the send task retries with backoff."""


def single_line(text: str, *, limit: int = 250) -> str:
    """A header-safe e-mail subject: every line break or run of white space (CR, LF, U+2028…)
    becomes one space, control characters go, and it is cut at `limit` characters."""
    text = "".join(" " if ch.isspace() or unicodedata.category(ch) == "Cc" else ch for ch in text)
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def outbox_record(
    *,
    recipient,
    subject_type: str,
    subject_id: int,
    kind: str,
    day,
    subject: str,
    body_text: str,
    body_html: str = "",
    items=None,
    report=None,
) -> OutboxMessage:
    """The message under this key: inserted now, or the one an earlier run recorded."""
    key = {
        "recipient": recipient,
        "subject_type": subject_type,
        "subject_id": subject_id,
        "kind": kind,
        "day": day,
    }
    outbox_record_many(
        [
            OutboxMessage(
                **key,
                to_email=recipient.email,
                subject=subject,
                body_text=body_text,
                body_html=body_html,
                items=items or [],
                report=report,
            )
        ]
    )
    return OutboxMessage.objects.get(**key)


def outbox_record_many(messages: list[OutboxMessage]) -> None:
    """Insert messages in bulk; one whose key an earlier run (or another worker, at the same moment)
    recorded is left out by the database's unique key."""
    for message in messages:
        if extensions.email_kind(message.kind) is None:  # the apps declare their kinds (EmailKind)
            raise ValueError(f"Unknown kind of e-mail {message.kind!r}")
        message.subject = single_line(message.subject)
        message.items = message.items or []
    OutboxMessage.objects.bulk_create(messages, batch_size=500, ignore_conflicts=True)


def message_email(message: OutboxMessage) -> EmailMultiAlternatives:
    """The e-mail of a recorded message; bodies not stored are rendered now (its EmailKind's render)."""
    body_text, body_html = message.body_text, message.body_html
    spec = extensions.email_kind(message.kind)
    if not body_text and spec is not None and spec.render is not None:
        with in_language_of(message.recipient):  # rendered now: in the recipient's language
            body_text, body_html = spec.render(message)
    email = EmailMultiAlternatives(
        subject=message.subject, body=body_text, from_email=settings.DEFAULT_FROM_EMAIL, to=[message.to_email]
    )
    if body_html:
        email.attach_alternative(body_html, "text/html")
    if message.report_id and message.report.file:
        with message.report.file.open("rb") as handle:
            email.attach(message.report.filename, handle.read(), "application/pdf")
    return email


def outbox_send(*, message_id: int) -> str:
    if not delivery.claim(OutboxMessage, message_id):
        return "skipped"
    message = OutboxMessage.objects.select_related("report", "recipient").get(pk=message_id)
    email = message_email(message)
    try:
        email.send()
    except (BadHeaderError, ValueError, UnicodeError) as error:
        # The message itself cannot be sent (a bad header or address): retrying will not help,
        # so it is failed now, with the reason, where the lead sees it (members page, outbox).
        delivery.give_up(OutboxMessage, message_id, error=f"{type(error).__name__}: {error}")
        logger.error("Outbox message %s cannot be sent: %s", message_id, error)
        return "failed"
    except (smtplib.SMTPException, OSError) as error:
        # The backoff is the send task's (retry_backoff below): the row only goes back to pending.
        if (
            delivery.retry_or_give_up(OutboxMessage, message, error=f"{type(error).__name__}: {error}")
            is None
        ):
            logger.error("Giving up on outbox message %s: %s", message_id, error)
            return "failed"
        raise TransientSendError(str(error)) from error
    # Marked sent even if a sweep failed it meanwhile: it did go out.
    delivery.succeed(OutboxMessage, message_id, held=False)
    return "sent"


def enqueue_send(message_id: int) -> None:
    try:
        enqueue(send_outbox_message, message_id)
    except QueueUnavailable as error:
        # Stays pending: the periodic outbox flush sends it once the broker is back.
        logger.warning("Outbox message %s not queued: %s", message_id, error)


def pending_ids() -> list[int]:
    delivery.sweep_stuck(OutboxMessage)
    return delivery.due_ids(OutboxMessage, where=Q(attempts__lt=settings.OUTBOX_MAX_ATTEMPTS))


# Named after this module (TASK_KINDS in sms_tracker/celery.py and the beat schedule use the names).
@shared_task(
    bind=True,
    acks_late=True,
    autoretry_for=(TransientSendError,),
    retry_backoff=30,
    retry_backoff_max=3600,
    max_retries=5,
    name="kernel.outbox.send_outbox_message",
)
def send_outbox_message(self, message_id: int) -> str:
    return outbox_send(message_id=message_id)


@shared_task(acks_late=True, name="kernel.outbox.outbox_flush")
def outbox_flush() -> int:
    """Send what is still pending (a send task lost with the broker, or one that gave up retrying)."""
    ids = pending_ids()
    for message_id in ids:
        enqueue_send(message_id)
    return len(ids)
