"""Issue 9 §2.15: the monthly report's month, its claim, and limits on asking for reports."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from notifications.models import OutboxMessage
from reports import schedules
from reports.models import Report, ReportSchedule, ReportStatus, ReportTrigger
from reports.services import ReportRateLimited, report_request
from tests.factories import make_report


def test_monthly_report_is_mailed_under_the_local_month(world, settings, media):
    settings.TIME_ZONE = "Asia/Tokyo"
    # 05:40 on 1 December in Tokyo is still 30 November in UTC.
    finished = datetime(2026, 12, 1, 5, 40, tzinfo=ZoneInfo("Asia/Tokyo"))
    report = make_report(world.project, status=ReportStatus.DONE)
    Report.objects.filter(pk=report.pk).update(trigger=ReportTrigger.SCHEDULED, finished_at=finished)
    report.refresh_from_db()
    with time_machine.travel(finished):
        ids = schedules.monthly_report_mail(report=report)
    messages = OutboxMessage.objects.filter(pk__in=ids)
    assert messages and {m.day for m in messages} == {date(2026, 12, 1)}
    assert all("December 2026" in m.subject for m in messages)


def test_a_failure_while_starting_the_report_gives_the_month_back(
    world, monkeypatch, django_capture_on_commit_callbacks
):
    ReportSchedule.objects.create(project=world.project, day_of_month=1)

    def broken(**kwargs):
        raise RuntimeError("database hiccup")

    monkeypatch.setattr(schedules, "report_request", broken)
    with django_capture_on_commit_callbacks(execute=False):
        assert schedules.monthly_reports_start(today=date(2026, 11, 2)) == []
    assert ReportSchedule.objects.get(project=world.project).last_run_month is None

    monkeypatch.undo()
    with django_capture_on_commit_callbacks(execute=False):
        started = schedules.monthly_reports_start(today=date(2026, 11, 3))
    assert len(started) == 1
    assert ReportSchedule.objects.get(project=world.project).last_run_month == date(2026, 11, 1)


def test_asking_again_while_a_report_is_active_answers_with_it(
    world, client_for, django_capture_on_commit_callbacks
):
    client = client_for("viewer")
    url = f"/projects/{world.project.pk}/reports/new/"
    with django_capture_on_commit_callbacks(execute=False) as queued:
        first = client.post(url, {"report": "management"})
        second = client.post(url, {"report": "management"})
    assert first.status_code == second.status_code == 302
    assert Report.objects.filter(project=world.project).count() == 1
    assert len(queued) == 1  # one render published, not two
    Report.objects.update(status=ReportStatus.DONE)
    with django_capture_on_commit_callbacks(execute=False):
        client.post(url, {"report": "management"})
    assert Report.objects.filter(project=world.project).count() == 2  # a finished one does not block


def test_each_person_has_a_rate_limit_on_reports(
    world, settings, client_for, django_capture_on_commit_callbacks
):
    settings.REPORT_RATE_LIMIT_PER_HOUR = 3
    viewer = world.user("viewer")
    with django_capture_on_commit_callbacks(execute=False):
        for _ in range(3):
            report = report_request(project=world.project, kind="management", user=viewer)
            Report.objects.filter(pk=report.pk).update(status=ReportStatus.DONE)
        response = client_for("viewer").post(
            f"/projects/{world.project.pk}/reports/new/", {"report": "management"}
        )
    assert response.status_code == 429
    assert "in the last hour" in response.content.decode()
    assert Report.objects.filter(requested_by=viewer).count() == 3
    with pytest.raises(ReportRateLimited):
        report_request(project=world.project, kind="management", user=viewer)
    # Someone else is not affected.
    with django_capture_on_commit_callbacks(execute=False):
        assert report_request(project=world.project, kind="management", user=world.user("lead")).pk
