"""Celery tasks: thin wrappers that take ids and call services. Periodic ones find due rows and fan out.

The beat schedule is in settings.CELERY_BEAT_SCHEDULE. The outbox's own tasks (send one message,
flush what is pending) live with it in the kernel, kernel/outbox.py, under their names here.
"""

from celery import shared_task
from django.utils import timezone

from kernel import outbox

# The webhook tasks live with the kernel's webhooks module; importing them here registers them.
from kernel.webhooks import deliver_webhook as deliver_webhook
from kernel.webhooks import webhooks_flush as webhooks_flush
from notifications import reminders
from projects.readiness_watch import readiness_watch_all
from reports import schedules
from reports import services as report_services


@shared_task(bind=True, acks_late=True)
def render_report(self, report_id: int) -> str:
    report = report_services.report_render(report_id=report_id, worker=self.request.hostname or "")
    if report is None:
        return "skipped"
    if report.status == "done" and report.trigger == "scheduled":
        for message_id in schedules.monthly_report_mail(report=report):
            outbox.enqueue_send(message_id)
    return report.status


@shared_task(acks_late=True)
def recover_stale_reports() -> dict:
    return report_services.reports_recover_stale()


@shared_task(acks_late=True)
def reminder_sweep(day: str | None = None) -> int:
    """Record today's digests in the outbox (idempotent), then send each in its own task."""
    today = timezone.localdate() if day is None else timezone.datetime.fromisoformat(day).date()
    message_ids = reminders.reminder_sweep(today=today)
    for message_id in message_ids:
        outbox.enqueue_send(message_id)
    return len(message_ids)


@shared_task(acks_late=True)
def monthly_reports() -> list[int]:
    return schedules.monthly_reports_start(today=timezone.localdate())


@shared_task(acks_late=True)
def webhooks_readiness() -> int:
    """Announce readiness changes of projects whose webhooks listen for them (also after each
    progress refresh; this catches changes no refresh follows, e.g. a finding closed)."""
    return readiness_watch_all()
