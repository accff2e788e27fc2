import pytest

from audits import services
from audits.models import AuditType, Grade, ImprovementStatus
from projects.models import Phase
from tests.factories import hold_audit, make_audit, make_finding, make_review

pytestmark = pytest.mark.usefixtures("progress_refresh_inline")


def progress(project, key):
    return Phase.objects.get(project=project, key=key).progress


def test_phase_11_follows_the_internal_audits_held(world):
    lead = world.user("lead")
    first = make_audit(world.project, user=lead, scope=["9.2"])
    make_audit(world.project, user=lead, scope=["8.1"])
    assert progress(world.project, "11") == 0
    hold_audit(first, user=lead)
    assert progress(world.project, "11") == 50


def test_phase_12_is_done_by_a_final_review(world):
    from tests.factories import finalise_review

    lead = world.user("lead")
    review = make_review(world.project, user=lead, attendees=[lead])
    assert progress(world.project, "12") == 0
    finalise_review(review, user=lead)
    assert progress(world.project, "12") == 100


def test_stage_2_needs_the_audit_held_and_its_major_ncs_closed(world):
    lead = world.user("lead")
    hold_audit(make_audit(world.project, user=lead, audit_type=AuditType.STAGE1, scope=["8.1"]), user=lead)
    stage2 = make_audit(world.project, user=lead, audit_type=AuditType.STAGE2, scope=["8.1"])
    major = make_finding(stage2, user=lead, grade=Grade.MAJOR_NC, owner=world.user("contributor"))
    assert progress(world.project, "S2") == 0
    hold_audit(stage2, user=lead)
    assert progress(world.project, "S2") == 50
    major.refresh_from_db()
    major = services.finding_respond(
        finding=major,
        user=lead,
        expected_version=major.version,
        correction="c",
        root_cause="r",
        similar_nonconformities="none elsewhere",
        actions_appropriate="yes",
    )
    action = services.action_create(
        finding=major, user=lead, description="a", owner=world.user("contributor"), due_date=major.due_date
    )
    action = services.action_implement(
        action=action, user=world.user("contributor"), expected_version=action.version, notes="done"
    )
    services.action_verify(  # a Stage 2 major NC is verified by the certification body (issue 11 §7)
        action=action,
        user=lead,
        expected_version=action.version,
        effective=True,
        notes="ok",
        by_certification_body=True,
    )
    assert progress(world.project, "S2") == 100


def test_stage_1_follows_its_audit(world):
    lead = world.user("lead")
    stage1 = make_audit(world.project, user=lead, audit_type=AuditType.STAGE1, scope=["4.1"])
    hold_audit(stage1, user=lead)
    assert progress(world.project, "S1") == 100


def test_phase_10_follows_the_improvement_register(world):
    lead = world.user("lead")
    done = services.improvement_create(project=world.project, user=lead, title="One")
    services.improvement_create(project=world.project, user=lead, title="Two")
    services.improvement_create(
        project=world.project, user=lead, title="No", status=ImprovementStatus.REJECTED
    )
    services.improvement_update(
        improvement=done, user=lead, expected_version=done.version, status=ImprovementStatus.IMPLEMENTED
    )
    assert progress(world.project, "10") == 50


def test_the_provider_reads_two_queries_whatever_the_data(world, django_assert_max_num_queries):
    from audits.selectors import audit_progress

    lead = world.user("lead")
    for _ in range(3):
        audit = make_audit(world.project, user=lead, audit_type=AuditType.STAGE2, scope=["8.1"])
        make_finding(audit, user=lead, grade=Grade.MAJOR_NC)
    services.improvement_create(project=world.project, user=lead, title="One")
    with django_assert_max_num_queries(2):
        result = audit_progress(world.project)
    assert result["S2"] == (0, 4) and result["10"] == (0, 1) and result["12"] == (0, 1)
