"""Audits in the background work: reminders, findings in the management report, the audit report,
the management review pack and the Excel exports."""

import io
from datetime import timedelta

from django.utils import timezone
from openpyxl import load_workbook
from pypdf import PdfReader

from audits import services as audit_services
from audits.reviews import review_output_create
from notifications import reminders
from reports.management_report import build_management_report
from reports.services import report_render, report_request
from tests.factories import make_audit_with_findings, make_review


def _text(report) -> str:
    with report.file.open("rb") as handle:
        reader = PdfReader(io.BytesIO(handle.read()))
    return " ".join(" ".join(p.extract_text() for p in reader.pages).split())


def _own(world, role):
    today = timezone.localdate()
    return next((d.own for d in reminders.plan_digests(today=today) if d.user == world.user(role)), [])


def test_corrective_actions_due_or_overdue_reach_their_owner(world):
    audit, (finding, *_) = make_audit_with_findings(
        world.project, user=world.user("lead"), auditor=world.user("auditor"), findings=1, start_in=40
    )
    today = timezone.localdate()
    due = audit_services.action_create(
        finding=finding,
        user=world.user("lead"),
        description="Fix the planning records",
        owner=world.user("contributor"),
        due_date=today + timedelta(days=3),
    )
    audit_services.action_create(
        finding=finding,
        user=world.user("lead"),
        description="Later action",
        owner=world.user("contributor"),
        due_date=today + timedelta(days=40),
    )
    keys = {item.key for item in _own(world, "contributor")}
    assert keys == {f"corrective-action:{due.pk}"}


def test_audits_starting_within_14_days_reach_the_audit_team(world):
    soon, _ = make_audit_with_findings(
        world.project, user=world.user("lead"), auditor=world.user("auditor"), start_in=10
    )
    make_audit_with_findings(
        world.project, user=world.user("lead"), auditor=world.user("auditor"), title="Later", start_in=20
    )
    items = _own(world, "auditor")
    assert [(item.key, item.category) for item in items] == [(f"audit-start:{soon.pk}", "Audit starts")]


def test_management_report_counts_findings_by_grade_and_status(world):
    make_audit_with_findings(
        world.project, user=world.user("lead"), auditor=world.user("auditor"), findings=6
    )
    context = build_management_report(world.project, today=timezone.localdate())
    section = next(s for s in context["sections"] if s.key == "findings")
    totals = {row["grade"]: row["total"] for row in section.data["grid"]}
    assert totals["Minor nonconformity"] == 2 and totals["Major nonconformity"] == 2
    assert totals["Observation"] == 1 and totals["Opportunity for improvement"] == 1
    assert section.data["total"] == 6 and len(section.data["open_ncs"]) == 4


def test_audit_report_lists_the_audit_and_its_findings(world, media, django_capture_on_commit_callbacks):
    audit, findings = make_audit_with_findings(
        world.project, user=world.user("lead"), auditor=world.user("auditor"), findings=3
    )
    with django_capture_on_commit_callbacks(execute=False):
        report = report_request(
            project=world.project, kind="audit", subject_id=audit.pk, user=world.user("viewer")
        )
    text = _text(report_render(report_id=report.pk))
    assert "Audit report" in text and "Internal audit 1" in text and "World project" in text
    for finding in findings:
        assert f"{finding.reference} · {finding.get_grade_display()}" in text


def test_management_review_pack_has_inputs_decisions_and_actions(
    world, media, django_capture_on_commit_callbacks
):
    review = make_review(
        world.project, user=world.user("lead"), attendees=[world.user("viewer")], meeting_in=5
    )
    with django_capture_on_commit_callbacks(execute=False):
        report = report_request(
            project=world.project, kind="review", subject_id=review.pk, user=world.user("lead")
        )
    text = _text(report_render(report_id=report.pk))
    assert "Management review pack" in text and "Management review Q4" in text
    assert "Inputs (clause 9.3)" in text and "Decisions" in text
    assert review.sections.first().title in text


def test_findings_and_corrective_actions_export_to_excel(world, client_for):
    _, (finding, *_) = make_audit_with_findings(
        world.project, user=world.user("lead"), auditor=world.user("auditor"), findings=2
    )
    audit_services.action_create(
        finding=finding,
        user=world.user("lead"),
        description="=cmd|' /C calc'!A0",
        owner=world.user("contributor"),
        due_date=timezone.localdate() + timedelta(days=9),
    )
    client = client_for("viewer")
    findings = load_workbook(
        io.BytesIO(client.get(f"/projects/{world.project.pk}/reports/export/findings.xlsx").content)
    )
    rows = list(findings.active.iter_rows(values_only=True))
    assert rows[0][:3] == ("Ref", "Source", "Grade") and [r[0] for r in rows[1:]] == ["F-1", "F-2"]
    actions = client.get(f"/projects/{world.project.pk}/reports/export/corrective-actions.xlsx")
    rows = list(load_workbook(io.BytesIO(actions.content)).active.iter_rows(values_only=True))
    assert rows[1][0] == "F-1" and rows[1][2] == "'=cmd|' /C calc'!A0"


def test_the_review_minutes_list_the_structured_decisions_and_top_management(
    world, media, django_capture_on_commit_callbacks
):
    lead = world.user("lead")
    review = make_review(world.project, user=lead, attendees=[lead, world.user("viewer")], meeting_in=5)
    review_output_create(
        review=review, user=lead, kind="resources", text="Hire a second service desk analyst."
    )
    with django_capture_on_commit_callbacks(execute=False):
        report = report_request(project=world.project, kind="review", subject_id=review.pk, user=lead)
    text = " ".join(_text(report_render(report_id=report.pk)).split())
    for heading in (
        "Opportunities for continual improvement",
        "Changes to the SMS and the services",
        "Resource needs",
        "Top management",
    ):
        assert heading in text
    assert "Hire a second service desk analyst." in text
    assert text.count("No decision recorded.") == 2  # improvement and changes: none yet
