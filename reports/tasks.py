"""The reports' Celery tasks: thin wrappers that take ids and call services (beat schedule in
settings.CELERY_BEAT_SCHEDULE, queues in sms_tracker/celery.py)."""

from celery import shared_task
from django.utils import timezone

from kernel import outbox

from . import schedules, services
from .register_snapshots import make_register_snapshot as make_register_snapshot  # registers the tasks
from .register_snapshots import recover_stale_register_snapshots as recover_stale_register_snapshots


@shared_task(bind=True, acks_late=True)
def render_report(self, report_id: int) -> str:
    report = services.report_render(report_id=report_id, worker=self.request.hostname or "")
    if report is None:
        return "skipped"
    if report.status == "done" and report.trigger == "scheduled":
        for message_id in schedules.monthly_report_mail(report=report):
            outbox.enqueue_send(message_id)
    return report.status


@shared_task(acks_late=True)
def recover_stale_reports() -> dict:
    return services.reports_recover_stale()


@shared_task(acks_late=True)
def monthly_reports() -> list[int]:
    return schedules.monthly_reports_start(today=timezone.localdate())
