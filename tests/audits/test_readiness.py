"""Fixtures that each miss exactly one Stage 1 condition produce exactly that blocker."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from audits.clauses import leaf_clauses
from audits.models import Finding, Grade
from documents.models import Document, DocumentStatus
from gapanalysis import services as gap_services
from projects.models import PhaseStatus
from readiness.gate import blockers_for as readiness_blockers
from tests.factories import (
    add_evidence_everywhere,
    add_version,
    finalise_review,
    hold_audit,
    iso_template,
    make_assessment,
    make_audit,
    make_finding,
    make_review,
    mandatory,
)


def all_clauses():
    iso_template()
    return [c.number for c in leaf_clauses()]


def approve_mandatory_documents(project, user):
    """Every mandatory document approved, next review a year away (written directly: the approval
    flow itself is the documents app's to test); every record with its evidence: a competence record
    in the register and three months of operating evidence for every process."""
    add_version(mandatory(project, "REC-01"), user)
    add_evidence_everywhere(project, months=3, user=user)
    Document.objects.filter(project=project).exclude(mandatory_code="").update(
        status=DocumentStatus.APPROVED, next_review_date=timezone.localdate() + timedelta(days=365)
    )


def ready_project(
    world, *, scope=None, review_final=True, phases_done=True, gap_final=True, docs=True, registers=True
):
    lead = world.user("lead")
    gap = make_assessment(world.project, user=lead, clause_numbers=["9.2"])
    if gap_final:
        gap_services.assessment_finalise(assessment=gap, user=lead)
    if docs:
        approve_mandatory_documents(world.project, lead)
    scope = all_clauses() if scope is None else scope
    hold_audit(make_audit(world.project, user=lead, scope=scope), user=lead)
    review = make_review(world.project, user=lead, attendees=[world.user("viewer")])
    if review_final:
        finalise_review(review, user=lead, decisions="Go for Stage 1.")
    if phases_done:
        world.project.phases.exclude(key__in=("S1", "S2")).update(status=PhaseStatus.DONE)
    if registers:
        complete_registers(world.project, lead)
    return world.project


def complete_registers(project, user):
    """The registers the Stage 1 rules read (issue 23): a service, a treated and owned risk, a
    measured objective, a reviewed context with the climate-change determination."""
    from registers.models import ClimateRelevance, ContextDetermination
    from tests.registers.builders import make_measurement, make_objective, make_risk, make_service

    make_service(project, name="Readiness service")
    make_risk(project, owner=user, treatment="Second cooling unit")
    make_measurement(make_objective(project))
    ContextDetermination.objects.create(
        project=project,
        climate_change=ClimateRelevance.NOT_RELEVANT,
        climate_change_reason="Office services only.",
        reviewed_on=timezone.localdate(),
    )


def messages(project):
    return [(b.category, b.message) for b in readiness_blockers(project)]


def test_complete_project_is_ready(world, client):
    project = ready_project(world)
    assert messages(project) == []
    client.force_login(world.user("viewer"))
    page = client.get(f"/projects/{project.pk}/audits/readiness/").content.decode()
    assert "Ready for Stage 1" in page


def test_a_clause_not_audited_is_the_only_blocker(world):
    project = ready_project(world, scope=[n for n in all_clauses() if n != "10.2"])
    assert messages(project) == [
        (
            "Internal audit",
            "Clause 10.2 Continual improvement is not covered by an internal audit held in this cycle.",
        )
    ]


def test_an_audit_only_planned_does_not_cover(world):
    project = ready_project(world, scope=[n for n in all_clauses() if n != "9.4"])
    make_audit(project, user=world.user("lead"), scope=["9.4"])
    assert [m for _, m in messages(project)] == [
        "Clause 9.4 Service reporting is not covered by an internal audit held in this cycle."
    ]


def test_a_draft_review_is_the_only_blocker(world):
    project = ready_project(world, review_final=False)
    assert messages(project) == [("Management review", "No management review has finalised minutes.")]


def test_an_open_major_nonconformity_is_the_only_blocker(world):
    project = ready_project(world)
    audit = project.audits.get()
    finding = make_finding(audit, user=world.user("lead"), grade=Grade.MAJOR_NC, clause="8.1")
    assert messages(project) == [
        ("Nonconformities", f"Major nonconformity {finding.reference} (clause 8.1) is still open.")
    ]


def test_a_minor_nonconformity_past_its_due_date_is_the_only_blocker(world):
    project = ready_project(world)
    audit = project.audits.get()
    make_finding(audit, user=world.user("lead"), grade=Grade.MINOR_NC, due_in=5)  # not yet due: no blocker
    late = make_finding(audit, user=world.user("lead"), grade=Grade.MINOR_NC)
    yesterday = timezone.localdate() - timedelta(days=1)
    Finding.objects.filter(pk=late.pk).update(due_date=yesterday)
    assert messages(project) == [
        (
            "Nonconformities",
            f"Minor nonconformity {late.reference} (clause 9.2) is past its due date "
            f"({yesterday:%-d %b %Y}).",
        )
    ]


def test_a_phase_not_done_is_the_only_blocker(world):
    project = ready_project(world)
    project.phases.filter(key="8").update(status=PhaseStatus.IN_PROGRESS)
    assert [c for c, _ in messages(project)] == ["Roadmap"]


def test_an_unfinalised_latest_gap_assessment_is_the_only_blocker(world):
    project = ready_project(world, gap_final=False)
    assert [c for c, _ in messages(project)] == ["Gap analysis"]


def test_a_mandatory_document_not_approved_is_the_only_blocker(world):
    project = ready_project(world)
    Document.objects.filter(project=project, mandatory_code="DOC-01").update(status=DocumentStatus.DRAFT)
    found = messages(project)
    assert len(found) == 1 and found[0][1].startswith("DOC-01 ") and "not approved (draft)" in found[0][1]


def test_a_mandatory_document_overdue_for_review_is_the_only_blocker(world):
    project = ready_project(world)
    Document.objects.filter(project=project, mandatory_code="DOC-05").update(
        next_review_date=timezone.localdate() - timedelta(days=1)
    )
    found = messages(project)
    assert len(found) == 1 and found[0][1].startswith("DOC-05 ") and "overdue for review" in found[0][1]


def test_the_page_groups_blockers_with_links(world, client):
    project = ready_project(world, review_final=False, scope=all_clauses()[:-1])
    client.force_login(world.user("viewer"))
    page = client.get(f"/projects/{project.pk}/audits/readiness/").content.decode()
    assert "Not ready for Stage 1" in page
    assert f'href="/projects/{project.pk}/audits/reviews/"' in page
    assert f'href="/projects/{project.pk}/audits/"' in page


def test_command_exits_1_and_prints_the_blockers(world, capsys):
    project = ready_project(world, review_final=False)
    with pytest.raises(SystemExit) as exit_info:
        call_command("readiness", str(project.pk))
    assert exit_info.value.code == 1
    out = capsys.readouterr().out
    assert "No management review has finalised minutes." in out
    assert "Not ready for Stage 1: 1 blocker(s)." in out


def test_command_succeeds_when_ready(world, capsys):
    project = ready_project(world)
    call_command("readiness", str(project.pk))
    assert "Ready for Stage 1." in capsys.readouterr().out


def test_command_refuses_an_unknown_project(db):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="No project with id 999999") as error:
        call_command("readiness", "999999")
    assert error.value.returncode == 2
