"""The reminder sweep (beat schedule in settings.CELERY_BEAT_SCHEDULE). The outbox's own tasks (send
one message, flush what is pending) live with the outbox machinery, kernel/outbox.py."""

from celery import shared_task
from django.utils import timezone

from kernel import outbox

from . import reminders


@shared_task(acks_late=True)
def reminder_sweep(day: str | None = None) -> int:
    """Record today's digests in the outbox (idempotent), then send each in its own task."""
    today = timezone.localdate() if day is None else timezone.datetime.fromisoformat(day).date()
    message_ids = reminders.reminder_sweep(today=today)
    for message_id in message_ids:
        outbox.enqueue_send(message_id)
    return len(message_ids)
