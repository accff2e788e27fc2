"""Finalising and reopening: read-only, who and when recorded, the roadmap's phase 3 and readiness."""

from gapanalysis import selectors, services
from gapanalysis.models import AssessmentKind, Response, Result
from projects.models import PhaseStatus
from readiness.gate import blockers_for as readiness_blockers
from tests.factories import answer, make_assessment


def test_finalising_the_latest_gap_assessment_marks_phase_3_done_and_records_who(
    client, world, progress_refresh_inline
):
    lead = world.user("lead")
    assessment = make_assessment(world.project, user=lead, clause_numbers=["4"])
    client.force_login(lead)
    reply = client.post(f"/projects/{world.project.pk}/gap/{assessment.pk}/finalise/")
    assert reply.status_code == 302
    assessment.refresh_from_db()
    assert assessment.is_finalised and assessment.finalised_by == lead and assessment.finalised_at
    phase = world.project.phases.get(key="3")
    assert (phase.status, phase.progress) == (PhaseStatus.DONE, 100)
    assert assessment.history.filter(status="finalised", history_user=lead).exists()


def test_finalised_assessment_is_read_only(client, world):
    lead = world.user("lead")
    assessment = make_assessment(
        world.project, user=lead, clause_numbers=["4"], auditors=[world.user("auditor")]
    )
    services.assessment_finalise(assessment=assessment, user=lead)
    response = Response.objects.filter(assessment=assessment).first()
    client.force_login(world.user("auditor"))
    reply = client.post(
        f"/projects/{world.project.pk}/gap/{assessment.pk}/responses/{response.pk}/",
        {"result": "conformant", "version": 1},
        HTTP_HX_REQUEST="true",
    )
    assert reply.status_code == 403
    page = client.get(f"/projects/{world.project.pk}/gap/{assessment.pk}/clauses/4.1/").content.decode()
    assert "Finalised · read-only" in page and 'name="result"' not in page


def test_reopening_is_recorded_and_puts_phase_3_back_in_progress(world):
    lead = world.user("lead")
    assessment = make_assessment(world.project, user=lead, clause_numbers=["4"])
    services.assessment_finalise(assessment=assessment, user=lead)
    services.assessment_reopen(assessment=assessment, user=lead)
    assessment.refresh_from_db()
    assert not assessment.is_finalised and assessment.reopened_by == lead and assessment.reopened_at
    assert world.project.phases.get(key="3").status == PhaseStatus.IN_PROGRESS
    assert world.project.activities.filter(verb="assessment reopened").exists()


def test_finalising_an_older_or_audit_assessment_leaves_phase_3_alone(world):
    lead = world.user("lead")
    older = make_assessment(world.project, user=lead, title="Baseline", clause_numbers=["4"])
    make_assessment(world.project, user=lead, title="Follow-up", clause_numbers=["4"])
    audit = make_assessment(
        world.project, user=lead, title="Audit", clause_numbers=["9"], kind=AssessmentKind.AUDIT
    )
    services.assessment_finalise(assessment=older, user=lead)
    services.assessment_finalise(assessment=audit, user=lead)
    assert world.project.phases.get(key="3").status != PhaseStatus.DONE


def test_phase_3_progress_is_the_completion_of_the_latest_gap_assessment(world):
    lead = world.user("lead")
    assessment = make_assessment(world.project, user=lead, clause_numbers=["4"])
    total = Response.objects.filter(assessment=assessment).count()
    answer(assessment, "GA-4.1-01", Result.CONFORMANT, user=lead)
    answer(assessment, "GA-4.1-02", Result.NOT_APPLICABLE, user=lead, notes="Reviewed yearly by design.")
    assert selectors.gap_phase_progress(world.project) == {"3": (2, total)}


def test_readiness_names_the_unfinalised_latest_gap_assessment(world):
    lead = world.user("lead")
    assert not [b for b in readiness_blockers(world.project) if b.category == "Gap analysis"]
    assessment = make_assessment(world.project, user=lead, title="Baseline", clause_numbers=["4"])
    blockers = [b for b in readiness_blockers(world.project) if b.category == "Gap analysis"]
    assert [(b.message, b.url) for b in blockers] == [
        ("The latest gap assessment “Baseline” is not finalised.", assessment.get_absolute_url())
    ]
    services.assessment_finalise(assessment=assessment, user=lead)
    assert not [b for b in readiness_blockers(world.project) if b.category == "Gap analysis"]
