"""Reports left "running" by a lost worker are retried, then failed; never running for ever."""

from datetime import timedelta

import time_machine
from django.utils import timezone

from reports.models import Report, ReportStatus
from reports.tasks import recover_stale_reports


def _running(project, *, attempts, started_ago):
    report = Report.objects.create(
        project=project, kind="management", status=ReportStatus.RUNNING, attempts=attempts
    )
    Report.objects.filter(pk=report.pk).update(started_at=timezone.now() - started_ago)
    return report


def test_stale_run_with_attempts_left_is_queued_again(world, settings, django_capture_on_commit_callbacks):
    stale = _running(
        world.project, attempts=1, started_ago=timedelta(seconds=settings.REPORT_STALE_AFTER_SECONDS + 5)
    )
    fresh = _running(world.project, attempts=1, started_ago=timedelta(seconds=10))

    with django_capture_on_commit_callbacks(execute=False) as enqueued:
        result = recover_stale_reports()

    assert result == {"retried": [stale.pk], "failed": []}
    assert len(enqueued) == 1
    assert Report.objects.get(pk=stale.pk).status == ReportStatus.QUEUED
    assert Report.objects.get(pk=fresh.pk).status == ReportStatus.RUNNING


def test_stale_run_without_attempts_left_is_failed_with_a_reason(world, settings):
    report = _running(world.project, attempts=settings.REPORT_MAX_ATTEMPTS, started_ago=timedelta(seconds=1))
    with time_machine.travel(timezone.now() + timedelta(seconds=settings.REPORT_STALE_AFTER_SECONDS + 60)):
        result = recover_stale_reports()

    assert result == {"retried": [], "failed": [report.pk]}
    report.refresh_from_db()
    assert report.status == ReportStatus.FAILED and "worker rendering this report stopped" in report.error
