"""Issue 9 §2.13: a report whose queue message was lost does not stay "queued" for ever: the
recovery sends it again, then fails it; the Reports page offers "Try again" for it."""

from datetime import timedelta

import pytest
from django.utils import timezone

from reports.models import Report, ReportStatus
from reports.tasks import recover_stale_reports

pytestmark = pytest.mark.django_db


def queued(project, *, waited):
    report = Report.objects.create(
        project=project, kind="management", title="Lost", status=ReportStatus.QUEUED
    )
    Report.objects.filter(pk=report.pk).update(queued_at=timezone.now() - waited)
    return report


def test_a_report_queued_too_long_is_sent_again_then_failed(
    world, settings, django_capture_on_commit_callbacks
):
    lost = queued(world.project, waited=timedelta(seconds=settings.REPORT_QUEUED_STALE_AFTER_SECONDS + 5))
    waiting = queued(world.project, waited=timedelta(seconds=30))
    with django_capture_on_commit_callbacks(execute=False) as enqueued:
        assert recover_stale_reports() == {"retried": [lost.pk], "failed": []}
    assert len(enqueued) == 1
    lost.refresh_from_db()
    assert lost.status == ReportStatus.QUEUED and lost.requeues == 1
    assert lost.queued_at > timezone.now() - timedelta(seconds=5)
    assert Report.objects.get(pk=waiting.pk).requeues == 0

    Report.objects.filter(pk=lost.pk).update(
        requeues=settings.REPORT_MAX_ATTEMPTS,
        queued_at=timezone.now() - timedelta(seconds=settings.REPORT_QUEUED_STALE_AFTER_SECONDS + 5),
    )
    assert recover_stale_reports() == {"retried": [], "failed": [lost.pk]}
    lost.refresh_from_db()
    assert lost.status == ReportStatus.FAILED and "No worker picked this report up" in lost.error


def test_the_reports_page_offers_try_again_for_a_report_stuck_in_the_queue(world, client, settings):
    stuck = queued(world.project, waited=timedelta(seconds=settings.REPORT_QUEUED_STALE_AFTER_SECONDS + 5))
    fresh = queued(world.project, waited=timedelta(seconds=5))
    client.force_login(world.user("viewer"))
    base = f"/projects/{world.project.pk}/reports/"
    page = client.get(base).content.decode()
    row = page.split(f'id="report-{stuck.pk}"')[1].split("</tr>")[0]
    assert f"{base}{stuck.pk}/retry/" in row and "Try again" in row
    assert f"{base}{fresh.pk}/retry/" not in page

    assert client.post(f"{base}{fresh.pk}/retry/").status_code == 302  # refused with a message
    assert Report.objects.get(pk=fresh.pk).queued_at < timezone.now() - timedelta(seconds=4)
    assert client.post(f"{base}{stuck.pk}/retry/").status_code == 302
    stuck.refresh_from_db()
    assert stuck.status in (ReportStatus.QUEUED, ReportStatus.RUNNING, ReportStatus.DONE, ReportStatus.FAILED)
    assert stuck.queued_at > timezone.now() - timedelta(seconds=60)
