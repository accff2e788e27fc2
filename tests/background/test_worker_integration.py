"""Integration: real `celery worker` processes, the real Redis broker, no eager mode."""

import io
import signal
import subprocess
from datetime import timedelta

import pytest
from django.utils import timezone
from pypdf import PdfReader

from kernel.outbox import OutboxStatus
from kernel.queueing import enqueue
from notifications.models import OutboxMessage
from notifications.tasks import reminder_sweep
from reports.models import Report, ReportStatus
from reports.services import reports_recover_stale
from tests.background.workers import wait_for
from tests.factories import make_task

pytestmark = pytest.mark.services


def _report_status(pk):
    return Report.objects.values_list("status", flat=True).get(pk=pk)


@pytest.mark.storages  # on disk and in a bucket: the worker must store where the web reads
def test_report_asked_for_in_the_web_view_is_rendered_by_a_worker(workers, world, client_for, tmp_path):
    make_task(world.project, title="Overdue risk register", assignee=world.user("contributor"), due_in=-9)
    workers.start("render")
    client = client_for("viewer")

    response = client.post(f"/projects/{world.project.pk}/reports/new/", {"report": "management"})

    assert response.status_code == 302
    report = Report.objects.get(project=world.project)
    wait_for(lambda: _report_status(report.pk) == ReportStatus.DONE, workers=workers, what="report done")
    row = client.get(f"/projects/{world.project.pk}/reports/{report.pk}/status/").content.decode()
    assert "Download PDF" in row and "hx-get" not in row
    download = client.get(f"/projects/{world.project.pk}/reports/{report.pk}/download/")
    content = b"".join(download.streaming_content)
    reader = PdfReader(io.BytesIO(content))
    report.refresh_from_db()
    assert len(reader.pages) == report.page_count >= 3
    pdf_path = tmp_path / "report.pdf"
    pdf_path.write_bytes(content)
    text = subprocess.run(["pdftotext", "-layout", str(pdf_path), "-"], capture_output=True, text=True).stdout
    for heading in (
        "Management progress report",
        "Executive summary",
        "Roadmap timeline",
        "Readiness blockers",
    ):
        assert heading in text
    assert "World project" in text and "Overdue risk register" in text


def test_sweep_run_twice_by_two_workers_sends_each_digest_once(workers, world):
    for role, due_in in (("contributor", 2), ("auditor", -3), ("viewer", -12)):
        make_task(world.project, title=f"Item of {role}", assignee=world.user(role), due_in=due_in)
    workers.start("sweep-a", concurrency=2)
    workers.start("sweep-b", concurrency=2)

    for _ in range(4):  # twice per worker, at once
        enqueue(reminder_sweep)

    expected = {"contributor", "auditor", "viewer", "lead"}  # the lead gets the escalation
    wait_for(
        lambda: OutboxMessage.objects.filter(status=OutboxStatus.SENT).count() == len(expected),
        workers=workers,
        what="four digests sent",
    )
    enqueue(reminder_sweep)  # and once more, after everything was sent
    wait_for(
        lambda: (
            workers.succeeded("notifications.tasks.reminder_sweep") == 5
            and workers.succeeded("kernel.outbox.send_outbox_message") >= len(expected)
        ),
        workers=workers,
        what="five sweeps finished",
    )
    messages = workers.sent_messages()
    recipients = sorted(
        line.split(": ", 1)[1] for m in messages for line in m.splitlines() if line.startswith("To: ")
    )
    assert recipients == sorted(f"{name}@example.test" for name in expected)
    assert OutboxMessage.objects.count() == len(expected)


def test_worker_killed_mid_report_leaves_it_retried_not_running(workers, world, client_for, settings):
    for index in range(300):
        make_task(
            world.project, title=f"Generated task {index}", assignee=world.user("contributor"), due_in=-index
        )
    first = workers.start("doomed")
    client_for("lead").post(f"/projects/{world.project.pk}/reports/new/", {"report": "management"})
    report = Report.objects.get(project=world.project)

    wait_for(
        lambda: _report_status(report.pk) == ReportStatus.RUNNING,
        interval=0.01,
        workers=workers,
        what="report running",
    )
    workers.kill(first, signal.SIGKILL)
    assert _report_status(report.pk) == ReportStatus.RUNNING  # lost with its worker

    later = timezone.now() + timedelta(seconds=settings.REPORT_STALE_AFTER_SECONDS + 1)
    assert reports_recover_stale(now=later) == {"retried": [report.pk], "failed": []}
    assert _report_status(report.pk) == ReportStatus.QUEUED

    workers.start("rescue")
    wait_for(
        lambda: _report_status(report.pk) == ReportStatus.DONE, workers=workers, what="retried report done"
    )
    report.refresh_from_db()
    assert report.attempts == 2 and report.page_count >= 3
