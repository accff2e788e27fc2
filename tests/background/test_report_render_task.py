"""The render task, called directly: it claims the report once, writes the PDF and its figures."""

import io

import pytest
from pypdf import PdfReader

from reports.models import Report, ReportStatus
from reports.services import report_request
from reports.tasks import render_report
from tests.factories import make_task

# Runs on local disk and on the S3 server (issue 22 §1).
pytestmark = pytest.mark.storages


def _text(report):
    with report.file.open("rb") as handle:
        reader = PdfReader(io.BytesIO(handle.read()))
    return len(reader.pages), "\n".join(page.extract_text() for page in reader.pages)


def test_asking_for_a_report_queues_it_only_after_commit(world, media, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        report = report_request(project=world.project, kind="management", user=world.user("viewer"))
    assert len(callbacks) == 1
    report.refresh_from_db()
    assert report.status == ReportStatus.QUEUED and not report.file


def test_render_task_writes_the_pdf_with_headings_and_project_name(
    world, media, django_capture_on_commit_callbacks
):
    make_task(world.project, title="Overdue policy draft", assignee=world.user("contributor"), due_in=-4)
    with django_capture_on_commit_callbacks(execute=False):
        report = report_request(project=world.project, kind="management", user=world.user("lead"))

    assert render_report(report.pk) == "done"

    report.refresh_from_db()
    assert report.status == ReportStatus.DONE and report.attempts == 1
    pages, text = _text(report)
    assert report.page_count == pages >= 3
    assert len(report.checksum) == 64 and report.size_bytes > 1000
    for heading in (
        "Management progress report",
        "Executive summary",
        "Roadmap timeline",
        "Phases",
        "Overdue work",
        "Readiness blockers",
        "Overdue policy draft",
    ):
        assert heading in text
    assert "World project" in text
    assert f"Page 2 of {pages}" in text


def test_a_second_delivery_of_the_same_message_does_not_render_again(
    world, media, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False):
        report = report_request(project=world.project, kind="management", user=world.user("lead"))
    render_report(report.pk)
    first = Report.objects.get(pk=report.pk)

    assert render_report(report.pk) == "skipped"

    again = Report.objects.get(pk=report.pk)
    assert (again.attempts, again.checksum, again.finished_at) == (1, first.checksum, first.finished_at)


def test_a_rendering_error_marks_the_report_failed_with_its_message(
    world, media, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False):
        report = report_request(project=world.project, kind="management", user=world.user("lead"))
    # a report about a management review that no longer exists (or a kind no app registers)
    Report.objects.filter(pk=report.pk).update(kind="review", subject_id=999_999)

    assert render_report(report.pk) == "failed"

    report.refresh_from_db()
    assert report.status == ReportStatus.FAILED and report.error
    assert report.finished_at is not None and not report.file
