"""The audit checklist is a gap-analysis assessment of kind "audit": one mechanism for both."""

from audits import services
from gapanalysis.models import AssessmentAuditor, AssessmentKind, AssessmentStatus, Question, Result
from gapanalysis.selectors import latest_gap_assessment
from tests.factories import make_audit


def test_starting_the_audit_builds_its_checklist_from_the_scoped_clauses(world):
    lead, auditor = world.user("lead"), world.user("auditor")
    audit = make_audit(world.project, user=lead, lead_auditor=auditor, team=[auditor], scope=["9.2", "10.1"])
    assert audit.checklist is None
    audit = services.audit_advance(audit=audit, user=auditor, to_status="in_progress")
    checklist = audit.checklist
    assert checklist.kind == AssessmentKind.AUDIT
    numbers = set(checklist.responses.values_list("question__clause__number", flat=True))
    assert numbers == {"9.2", "10.1"}
    expected = Question.objects.filter(
        template=checklist.template, clause__number__in=["9.2", "10.1"]
    ).count()
    assert checklist.responses.count() == expected > 0
    assert set(AssessmentAuditor.objects.filter(assessment=checklist).values_list("user_id", flat=True)) == {
        auditor.pk
    }
    assert latest_gap_assessment(world.project) is None  # an audit checklist is not a gap analysis


def test_the_team_fills_it_through_the_gap_analysis_pages(world, client):
    lead, auditor = world.user("lead"), world.user("auditor")
    audit = make_audit(world.project, user=lead, lead_auditor=auditor, team=[auditor], scope=["9.2"])
    audit = services.audit_advance(audit=audit, user=auditor, to_status="in_progress")
    response = audit.checklist.responses.first()
    url = f"/projects/{world.project.pk}/gap/{audit.checklist.pk}/responses/{response.pk}/"
    client.force_login(auditor)
    saved = client.post(
        url,
        {"result": Result.NONCONFORMANT, "notes": "No report", "version": response.version},
        HTTP_HX_REQUEST="true",
    )
    assert saved.status_code == 200
    page = client.get(audit.get_absolute_url()).content.decode()
    assert "1 of" in page and "questions answered" in page
    client.force_login(world.user("contributor"))
    refused = client.post(url, {"result": Result.CONFORMANT, "version": response.version + 1})
    assert refused.status_code == 403


def test_issuing_the_report_finalises_the_checklist_and_team_changes_follow(world):
    lead, auditor = world.user("lead"), world.user("auditor")
    audit = make_audit(world.project, user=lead, lead_auditor=auditor, team=[auditor], scope=["9.2"])
    audit = services.audit_advance(audit=audit, user=lead, to_status="in_progress")
    audit = services.audit_update(
        audit=audit,
        user=lead,
        expected_version=audit.version,
        scope_clauses=["9.2"],
        team=[auditor, lead],
        lead_auditor=auditor,
        # the lead owns phase 5 (9.2): joining the team is auditing their own work (audits.independence)
        independence_override_reason="Small team: the lead joins to learn the checklist.",
    )
    assigned = set(
        AssessmentAuditor.objects.filter(assessment=audit.checklist).values_list("user_id", flat=True)
    )
    assert assigned == {auditor.pk, lead.pk}
    audit = services.audit_advance(audit=audit, user=lead, to_status="report_issued", report_summary="OK")
    audit.checklist.refresh_from_db()
    assert audit.checklist.status == AssessmentStatus.FINALISED
