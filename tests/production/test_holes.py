"""Data with holes (tests/holes.py): every page, report PDF, export and digest still renders.

Issue 9 §2.2: an overdue task without assignee, a phase without owner or an audit without lead
auditor made the management, audit and review reports (and the monthly scheduled report) fail.
"""

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from gapanalysis.models import Assessment
from kernel.outbox import outbox_send
from notifications.reminders import reminder_sweep
from reports.models import Report, ReportStatus, ReportTrigger
from reports.schedules import monthly_report_mail, monthly_reports_start
from reports.services import report_render, report_request
from tests.factories import make_task
from tests.holes import add_holes
from tests.permissions.test_matrix import CASES
from tests.production.pdfcheck import assert_styled, text_runs

GET_CASES = [case for case in CASES if case.method == "get" and not case.name.startswith("admin")]


@pytest.fixture
def holes(world):
    return add_holes(world.project, lead=world.user("lead"))


def _render(world, kind, subject_id=None, captured=None):
    report = report_request(project=world.project, kind=kind, user=world.user("lead"), subject_id=subject_id)
    report = report_render(report_id=report.pk)
    assert report.status == ReportStatus.DONE, f"{kind}: {report.error}"
    with report.file.open("rb") as handle:
        return handle.read()


def _page_text(content):
    return " ".join(run.text for run in text_runs(content))


def test_management_report_names_the_unassigned_and_the_ownerless(
    world, holes, media, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False):
        content = _render(world, "management")
    assert_styled(content, title="Management progress report")
    text = _page_text(content)
    assert "Nobody's overdue task" in text and "unassigned" in text
    assert "Former member's overdue task" in text


def test_audit_report_of_an_audit_without_lead_auditor(
    world, holes, media, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False):
        content = _render(world, "audit", holes.audit_without_lead.pk)
    assert_styled(content, title="Audit report")
    assert "Nobody owns it." in _page_text(content)


def test_review_pack_with_an_unassigned_action(world, holes, media, django_capture_on_commit_callbacks):
    review_id = holes.unassigned_review_task.review_action.review_id
    with django_capture_on_commit_callbacks(execute=False):
        content = _render(world, "review", review_id)
    assert_styled(content, title="Management review pack")
    assert "Review action nobody took" in _page_text(content)


def test_gap_report_of_an_assessment_without_auditors(
    world, holes, media, django_capture_on_commit_callbacks
):
    assessment = Assessment.objects.get(project=world.project, title="Assessment without auditors")
    with django_capture_on_commit_callbacks(execute=False):
        content = _render(world, "gap", assessment.pk)
    assert_styled(content, title="Gap-analysis report")


def test_monthly_scheduled_report_is_made_and_mailed(world, holes, media, django_capture_on_commit_callbacks):
    today = timezone.localdate()
    with django_capture_on_commit_callbacks(execute=False):
        (report_id,) = monthly_reports_start(today=today)
        report = report_render(report_id=report_id)
    assert report.status == ReportStatus.DONE and report.trigger == ReportTrigger.SCHEDULED, report.error
    for message_id in monthly_report_mail(report=report):
        outbox_send(message_id=message_id)
    assert {m.to[0] for m in mail.outbox} == {"lead@example.test", "viewer@example.test"}


def test_digest_sweep_with_unassigned_and_former_members_work(world, holes):
    make_task(world.project, title="Lead's own overdue task", assignee=world.user("lead"), due_in=-1)
    mail.outbox.clear()
    for message_id in reminder_sweep(today=timezone.localdate()):
        assert outbox_send(message_id=message_id) == "sent"
    lead = [m for m in mail.outbox if m.to == ["lead@example.test"]]
    assert lead and "Lead's own overdue task" in lead[0].body


@pytest.mark.parametrize("role", ["lead", "viewer"])
def test_every_page_and_export_renders_with_holes(world, holes, client_for, role):
    client = client_for(role)
    failures = []
    for case in GET_CASES:
        if case.expect.get(role) != 200:
            continue
        url = case.url(world)
        response = client.get(url, **({"HTTP_HX_REQUEST": "true"} if case.htmx else {}))
        if response.status_code != 200:
            failures.append(f"{case.id} {url}: {response.status_code}")
    for url in (
        f"/projects/{world.project.pk}/phases/{holes.ownerless_phase.pk}/",
        f"/projects/{world.project.pk}/tasks/{holes.unassigned_task.pk}/",
        f"/projects/{world.project.pk}/tasks/{holes.former_members_task.pk}/",
        f"/projects/{world.project.pk}/audits/{holes.audit_without_lead.pk}/",
        f"/projects/{world.project.pk}/audits/findings/{holes.ownerless_finding.pk}/",
    ):
        status = client.get(url).status_code
        if status != 200:
            failures.append(f"{url}: {status}")
    assert not failures, failures


def test_holes_do_not_shift_the_due_dates(world, holes):
    assert holes.unassigned_task.due_date == timezone.localdate() - timedelta(days=9)
    assert Report.objects.count() == 0
