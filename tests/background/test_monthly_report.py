"""The monthly management report: started once per project per month, mailed with the PDF."""

from datetime import date

import time_machine
from django.core import mail

from kernel.outbox import outbox_send
from notifications.models import OutboxMessage
from reports.models import Report, ReportSchedule, ReportTrigger
from reports.schedules import monthly_report_mail, monthly_reports_start
from reports.services import report_render


def test_report_starts_on_its_day_once_a_month(world, django_capture_on_commit_callbacks):
    ReportSchedule.objects.create(project=world.project, day_of_month=10)
    with django_capture_on_commit_callbacks(execute=False):
        assert monthly_reports_start(today=date(2026, 11, 9)) == []
        started = monthly_reports_start(today=date(2026, 11, 10))
        again = monthly_reports_start(today=date(2026, 11, 20))
        next_month = monthly_reports_start(today=date(2026, 12, 10))
    assert len(started) == 1 and again == [] and len(next_month) == 1
    report = Report.objects.get(pk=started[0])
    assert report.trigger == ReportTrigger.SCHEDULED and report.requested_by is None


def test_projects_without_a_schedule_get_the_default_day(world, settings, django_capture_on_commit_callbacks):
    settings.REPORT_DEFAULT_DAY_OF_MONTH = 1
    with django_capture_on_commit_callbacks(execute=False):
        assert len(monthly_reports_start(today=date(2026, 11, 1))) == 1
    assert ReportSchedule.objects.get(project=world.project).day_of_month == 1


def test_switched_off_schedule_starts_nothing(world, django_capture_on_commit_callbacks):
    ReportSchedule.objects.create(project=world.project, day_of_month=1, enabled=False)
    with django_capture_on_commit_callbacks(execute=False):
        assert monthly_reports_start(today=date(2026, 11, 15)) == []


def test_finished_report_is_mailed_to_viewers_and_leads_once(
    world, media, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False), time_machine.travel("2026-11-03 06:00Z"):
        (report_id,) = monthly_reports_start(today=date(2026, 11, 3))
        report = report_render(report_id=report_id)
        ids = monthly_report_mail(report=report)
        assert monthly_report_mail(report=report) == ids  # still pending: same rows, none added
        for message_id in ids:
            outbox_send(message_id=message_id)
        assert monthly_report_mail(report=report) == []

    assert sorted(m.to[0] for m in mail.outbox) == ["lead@example.test", "viewer@example.test"]
    message = mail.outbox[0]
    assert "November 2026" in message.subject
    (name, content, mimetype) = message.attachments[0]
    assert mimetype == "application/pdf" and content.startswith(b"%PDF") and name.endswith(".pdf")
    assert OutboxMessage.objects.filter(kind="monthly_report").count() == 2
