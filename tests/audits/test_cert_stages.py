"""Issue 21 §1 and §2: two readiness gates, and the certification decision and cycle as a
certification body runs them (ISO/IEC 17021-1 9.3–9.6, IAF MD 2)."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.utils import timezone

from audits import certification, concerns, selectors, services
from audits.certification_models import ConcernStatus
from audits.models import Audit, AuditProgramme, AuditType, Finding, Grade, ManagementReview
from gapanalysis.models import Response, Result
from projects.roadmap import ROADMAP_BY_KEY
from readiness.gate import readiness
from tests.factories import (
    finalise_review,
    hold_audit,
    make_action,
    make_audit,
    make_finding,
    make_review,
)

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


def held(world, audit_type, *, days_ago=10, scope=("8.1",), answered=True):
    lead = world.user("lead")
    start = TODAY - timedelta(days=days_ago)
    audit = make_audit(
        world.project,
        user=lead,
        audit_type=audit_type,
        scope=scope,
        planned_start=start,
        planned_end=start + timedelta(days=2),
        title=f"{audit_type} audit",
    )
    return hold_audit(audit, user=lead, answered=answered)


def decide(world, day):
    programme = AuditProgramme.objects.filter(project=world.project).first()
    return certification.certification_decision_record(
        project=world.project,
        user=world.user("lead"),
        decision_date=day,
        expected_version=programme.version if programme else None,
    )


def categories(project, stage):
    return {b.category for b in readiness(project, stage).blockers}


# §1 Two gates -----------------------------------------------------------------------------------


def test_a_held_internal_audit_with_an_empty_checklist_covers_no_clause(world):
    held(world, AuditType.INTERNAL, scope=("8.1", "9.2"), answered=False)
    uncovered = {c.number for c in selectors.uncovered_clauses(world.project)}
    assert {"8.1", "9.2"} <= uncovered


def test_a_clause_counts_only_when_each_question_is_answered_na_with_its_reason(world):
    audit = held(world, AuditType.INTERNAL, scope=("8.1", "9.2"), answered=False)
    responses = Response.objects.filter(assessment=audit.checklist)
    responses.filter(question__clause__number="8.1").update(result=Result.CONFORMANT)
    nine_two = responses.filter(question__clause__number="9.2")
    nine_two.update(result=Result.CONFORMANT)
    first = nine_two.order_by("question__order").first()
    Response.objects.filter(pk=first.pk).update(result=Result.NOT_APPLICABLE, notes="  ")
    assert selectors.answered_clauses([audit.pk])[audit.pk] == {"8.1"}
    Response.objects.filter(pk=first.pk).update(notes="No such service in scope.")
    assert selectors.answered_clauses([audit.pk])[audit.pk] == {"8.1", "9.2"}


def test_stage_2_cannot_be_held_before_stage_1(world):
    with pytest.raises(ValidationError, match="before a Stage 1 audit is held"):
        held(world, AuditType.STAGE2)
    held(world, AuditType.STAGE1, days_ago=40)
    assert held(world, AuditType.STAGE2).is_held


def test_stage_2_readiness_needs_stage_1_held_and_its_areas_of_concern_resolved(world):
    project = world.project
    assert "Certification Stage 1" in categories(project, 2)
    assert "Certification Stage 1" not in categories(project, 1)
    stage1 = held(world, AuditType.STAGE1, days_ago=40)
    assert "Certification Stage 1" not in categories(project, 2)
    concern = concerns.concern_create(
        audit=stage1,
        user=world.user("lead"),
        description="Capacity plan not yet tested.",
        clause="8.4.3",
        owner=world.user("contributor"),
        due_date=TODAY + timedelta(days=20),
    )
    gate = readiness(project, 2)
    assert any(
        b.category == "Areas of concern" and b.url == concern.get_absolute_url() for b in gate.blockers
    )
    assert "Areas of concern" not in categories(project, 1)
    with pytest.raises(ValidationError):
        concerns.concern_accept(
            concern=concern, user=world.user("lead"), expected_version=concern.version, acceptance_reason=" "
        )
    concerns.concern_accept(
        concern=concern,
        user=world.user("lead"),
        expected_version=concern.version,
        acceptance_reason="Tested in the next capacity review; risk is low.",
    )
    concern.refresh_from_db()
    assert concern.status == ConcernStatus.ACCEPTED
    assert "Areas of concern" not in categories(project, 2)


def _final_review_held(world, days_ago):
    """A finalised review (its rules met), then dated `days_ago` as the scenario needs."""
    review = make_review(world.project, user=world.user("lead"), attendees=[world.user("viewer")])
    finalise_review(review, user=world.user("lead"), decisions="Proceed.")
    # The internal audit finalising needed, held before the review.
    Audit.objects.filter(project=world.project).update(
        planned_start=TODAY - timedelta(days=days_ago + 5), planned_end=TODAY - timedelta(days=days_ago + 3)
    )
    ManagementReview.objects.filter(pk=review.pk).update(meeting_date=TODAY - timedelta(days=days_ago))


def test_stage_2_needs_a_management_review_after_the_latest_internal_audit(world):
    _final_review_held(world, 30)
    held(world, AuditType.INTERNAL, days_ago=10)
    stage2 = [b.message for b in readiness(world.project, 2).blockers if b.category == "Management review"]
    assert any("before the latest internal audit" in m for m in stage2)
    assert not [b for b in readiness(world.project, 1).blockers if b.category == "Management review"]
    ManagementReview.objects.filter(project=world.project).update(meeting_date=TODAY)
    assert "Management review" not in categories(world.project, 2)


def test_an_old_management_review_does_not_count(world):
    _final_review_held(world, 400)
    messages = [b.message for b in readiness(world.project, 1).blockers if b.category == "Management review"]
    assert messages and "more than 12 months ago" in messages[0]


def test_stage_2_needs_the_full_operating_period(world):
    gate = readiness(world.project, 2)
    assert any(
        "Stage 2 needs the full minimum period" in b.message or b.category == "Operating evidence"
        for b in gate.blockers
    )


def test_the_command_takes_the_stage_and_exits_1_while_not_ready(world, capsys):
    with pytest.raises(SystemExit) as exit_info:
        call_command("readiness", str(world.project.pk), "--stage", "2")
    assert exit_info.value.code == 1
    out = capsys.readouterr().out
    assert "readiness for Stage 2" in out and "No Stage 1 audit is held yet" in out


def test_the_api_and_the_page_show_each_stage(world, client):
    client.force_login(world.user("viewer"))
    page = client.get(f"/projects/{world.project.pk}/audits/readiness/?stage=2").content.decode()
    assert "Readiness for Stage 2" in page and "No Stage 1 audit is held yet" in page
    assert f"/projects/{world.project.pk}/audits/" in page
    dashboard = client.get(f"/projects/{world.project.pk}/").content.decode()
    assert "audits/readiness/?stage=2" in dashboard and "audits/readiness/summary/" in dashboard
    summary = client.get(f"/projects/{world.project.pk}/audits/readiness/summary/").content.decode()
    assert 'data-testid="stage-1-verdict"' in summary and 'data-testid="stage-2-verdict"' in summary
    assert "blocker" in summary


def test_the_stage_2_phase_recommends_and_the_decision_certifies():
    stage2 = ROADMAP_BY_KEY["S2"]
    assert "recommendation for certification" in stage2.outputs and "certificate," not in stage2.outputs


# §2 The decision and the cycle --------------------------------------------------------------------


def test_a_decision_dated_before_its_audit_ended_is_refused(world):
    held(world, AuditType.STAGE1, days_ago=60)
    held(world, AuditType.STAGE2, days_ago=5)
    with pytest.raises(ValidationError, match="cannot be dated before its audit"):
        decide(world, TODAY - timedelta(days=4))
    assert decide(world, TODAY).certification_decision_date == TODAY


def test_a_recertification_decision_without_a_recertification_audit_is_refused(world):
    held(world, AuditType.STAGE1, days_ago=60)
    held(world, AuditType.STAGE2, days_ago=30)
    decide(world, TODAY - timedelta(days=20))
    with pytest.raises(ValidationError, match="No recertification audit"):
        decide(world, TODAY)


def test_a_minor_needs_a_correction_and_plan_accepted_by_the_body(world):
    held(world, AuditType.STAGE1, days_ago=60)
    lead = world.user("lead")
    stage2 = make_audit(
        world.project,
        user=lead,
        audit_type=AuditType.STAGE2,
        scope=("8.1",),
        planned_start=TODAY - timedelta(days=10),
        planned_end=TODAY - timedelta(days=8),
    )
    minor = make_finding(stage2, user=lead, grade=Grade.MINOR_NC, clause="8.1", owner=lead)
    hold_audit(stage2, user=lead)
    with pytest.raises(ValidationError, match="accepted by the certification body"):
        decide(world, TODAY)
    with pytest.raises(ValidationError, match="correction first"):
        certification.minor_plan_accept(finding=minor, user=lead, note="Letter of 3 May")
    Finding.objects.filter(pk=minor.pk).update(correction="Records completed.", root_cause="No checklist.")
    make_action(Finding.objects.get(pk=minor.pk), user=lead, owner=world.user("contributor"))
    certification.minor_plan_accept(finding=minor, user=lead, note="Letter of 3 May")
    assert decide(world, TODAY).certification_decision_date == TODAY


def _stage2_with_major(world, days_ago):
    held(world, AuditType.STAGE1, days_ago=days_ago + 60)
    lead = world.user("lead")
    start = TODAY - timedelta(days=days_ago)
    stage2 = make_audit(
        world.project,
        user=lead,
        audit_type=AuditType.STAGE2,
        scope=("8.1",),
        planned_start=start,
        planned_end=start + timedelta(days=2),
    )
    major = make_finding(stage2, user=lead, grade=Grade.MAJOR_NC, clause="8.1", due_date=None)
    hold_audit(stage2, user=lead)
    return major


def test_an_unverified_major_warns_after_3_months_and_blocks_for_good_after_6(world):
    major = _stage2_with_major(world, days_ago=200)
    reasons = certification.decision_blockers(world.project, decision_date=TODAY)
    assert any(major.reference in r and "must be repeated" in r for r in reasons)
    warnings = readiness(world.project, 1).warnings
    assert any(major.reference in w.message for w in warnings)


def test_the_major_months_are_a_project_setting(world):
    major = _stage2_with_major(world, days_ago=120)
    assert not any("must be repeated" in r for r in certification.decision_blockers(world.project))
    assert any(major.reference in m for m in certification.unverified_major_warnings(world.project))
    programme, _ = AuditProgramme.objects.get_or_create(
        project=world.project, defaults={"cycle_start": TODAY}
    )
    certification.certification_settings_update(
        project=world.project,
        user=world.user("lead"),
        expected_version=programme.version,
        major_nc_warn_months=5,
        major_nc_limit_months=12,
        recertification_lead_months=4,
    )
    assert not certification.unverified_major_warnings(world.project)
    with pytest.raises(ValidationError):
        certification.certification_settings_update(
            project=world.project,
            user=world.user("lead"),
            expected_version=programme.version + 1,
            major_nc_warn_months=7,
            major_nc_limit_months=6,
            recertification_lead_months=3,
        )


def test_the_cycle_dates(world):
    programme = AuditProgramme(
        project=world.project, cycle_start=date(2027, 3, 15), certification_decision_date=date(2027, 3, 15)
    )
    cycle = certification.certification_cycle(programme, audits=[])
    assert cycle.expiry == date(2030, 3, 14)
    s1, s2, recert = cycle.steps
    assert s1.due == date(2028, 3, 15)  # no later than 12 months after the decision
    assert s2.due == date(2029, 12, 31)  # in the calendar year after surveillance 1
    assert recert.due == date(2029, 12, 14)  # planned 3 months (the default) before expiry


def test_recertification_continues_from_the_old_expiry(world):
    held(world, AuditType.STAGE1, days_ago=1100)
    held(world, AuditType.STAGE2, days_ago=1050)
    first = TODAY - timedelta(days=1000)
    programme = decide(world, first)
    old_expiry = certification.programme_expiry(programme)
    held(world, AuditType.RECERTIFICATION, days_ago=20)
    programme = decide(world, TODAY - timedelta(days=10))
    assert programme.cycle_start == old_expiry + timedelta(days=1)
    assert certification.programme_expiry(programme) == certification.certificate_expiry(
        old_expiry + timedelta(days=1)
    )
    assert certification.programme_expiry(programme) != certification.certificate_expiry(
        TODAY - timedelta(days=10)
    )


def test_a_transfer_keeps_the_cycle_and_the_expiry_after_a_pre_transfer_review(world):
    held(world, AuditType.STAGE1, days_ago=100)
    held(world, AuditType.STAGE2, days_ago=60)
    programme = decide(world, TODAY - timedelta(days=50))
    expiry, start = certification.programme_expiry(programme), programme.cycle_start
    with pytest.raises(ValidationError):
        certification.certificate_transfer_record(
            project=world.project,
            user=world.user("lead"),
            to_body="Southgate Assurance",
            reviewed_on=TODAY,
            reviewer="J. Smith",
            summary="",
        )
    review = certification.certificate_transfer_record(
        project=world.project,
        user=world.user("lead"),
        to_body="Southgate Assurance",
        reviewed_on=TODAY,
        reviewer="J. Smith",
        summary="Certificate valid; no open majors; last report read.",
    )
    programme.refresh_from_db()
    world.project.refresh_from_db()
    assert certification.programme_expiry(programme) == expiry == review.certificate_expires_on
    assert programme.cycle_start == start
    assert world.project.certification_body == "Southgate Assurance"


def test_each_surveillance_audit_shows_its_covered_clauses_and_the_cycle_view_counts_them(world, client):
    held(world, AuditType.STAGE1, days_ago=100, scope=("8.1",))
    held(world, AuditType.STAGE2, days_ago=60, scope=("8.1", "9.2"))
    decide(world, TODAY - timedelta(days=50))
    held(world, AuditType.SURVEILLANCE1, days_ago=5, scope=("9.2", "10.1"), answered=False)
    programme = AuditProgramme.objects.get(project=world.project)
    audits, rows = certification.cycle_coverage(world.project, programme)
    by_number = {row.number: row for row in rows}
    assert by_number["8.1"].covered and by_number["9.2"].covered and not by_number["10.1"].covered
    surveillance = next(a for a in audits if a.audit_type == AuditType.SURVEILLANCE1)
    assert surveillance.covered_clauses == []
    client.force_login(world.user("viewer"))
    page = client.get(f"/projects/{world.project.pk}/audits/certification/coverage/").content.decode()
    assert "2 of " in page and "no clause covered yet" in page
    detail = client.get(f"/projects/{world.project.pk}/audits/{surveillance.pk}/").content.decode()
    assert "Clauses covered</strong> (every question answered): none" in detail


def test_areas_of_concern_list_has_an_empty_state_and_checks_who_may_act(world, client):
    client.force_login(world.user("viewer"))
    page = client.get(f"/projects/{world.project.pk}/audits/concerns/")
    assert page.status_code == 200 and "No areas of concern" in page.content.decode()
    stage1 = held(world, AuditType.STAGE1, days_ago=40)
    concern = concerns.concern_create(
        audit=stage1,
        user=world.user("lead"),
        description="Thin capacity data.",
        owner=world.user("contributor"),
    )
    url = f"/projects/{world.project.pk}/audits/concerns/{concern.pk}/"
    assert (
        client.post(url + "accept/", {"acceptance_reason": "x", "version": concern.version}).status_code
        == 403
    )
    client.force_login(world.user("contributor"))  # the owner closes it; only the lead accepts
    assert (
        client.post(url + "accept/", {"acceptance_reason": "x", "version": concern.version}).status_code
        == 403
    )
    bad = client.post(url + "close/", {"closure_evidence": " ", "version": concern.version})
    assert bad.status_code == 422
    ok = client.post(
        url + "close/", {"closure_evidence": "Capacity report v2, 3 May.", "version": concern.version}
    )
    assert ok.status_code == 302
    concern.refresh_from_db()
    assert concern.status == ConcernStatus.CLOSED
    internal = held(world, AuditType.INTERNAL, days_ago=3)
    with pytest.raises(ValidationError):
        concerns.concern_create(audit=internal, user=world.user("lead"), description="Not from Stage 1")


def test_a_certification_audit_can_move_on_via_the_service(world):
    # The stage order is checked when the report is issued, not when the audit starts.
    stage2 = make_audit(world.project, user=world.user("lead"), audit_type=AuditType.STAGE2)
    started = services.audit_advance(audit=stage2, user=world.user("lead"), to_status="in_progress")
    assert started.status == "in_progress"


def test_a_project_ready_for_stage_1_is_ready_for_stage_2_once_stage_1_is_held(world):
    from tests.audits.test_readiness import ready_project

    project = ready_project(world)
    assert readiness(project, 1).ready
    assert [b.category for b in readiness(project, 2).blockers] == ["Certification Stage 1"]
    stage1 = held(world, AuditType.STAGE1, days_ago=5)
    concern = concerns.concern_create(
        audit=stage1, user=world.user("lead"), description="Thin capacity data."
    )
    assert [b.category for b in readiness(project, 2).blockers] == ["Areas of concern"]
    concerns.concern_close(
        concern=concern,
        user=world.user("lead"),
        expected_version=concern.version,
        closure_evidence="Report v2.",
    )
    assert readiness(project, 2).ready


def test_a_stale_version_on_a_concern_or_the_settings_answers_409_not_500(world, client):
    """Someone else resolved the concern (or saved the settings) first: a conflict, nothing saved."""
    stage1 = held(world, AuditType.STAGE1, days_ago=40)
    concern = concerns.concern_create(
        audit=stage1, user=world.user("lead"), description="Thin capacity data.", owner=world.user("lead")
    )
    stale = concern.version
    client.force_login(world.user("lead"))
    url = f"/projects/{world.project.pk}/audits/concerns/{concern.pk}/"
    closed = client.post(url + "close/", {"closure_evidence": "Report v2.", "version": stale})
    assert closed.status_code == 302
    again = client.post(url + "accept/", {"acceptance_reason": "Low risk.", "version": stale})
    assert again.status_code == 409
    concern.refresh_from_db()
    assert concern.status == ConcernStatus.CLOSED and not concern.acceptance_reason

    settings_url = f"/projects/{world.project.pk}/audits/programme/settings/"
    form = {"major_nc_warn_months": 3, "major_nc_limit_months": 6, "recertification_lead_months": 3}
    assert client.post(settings_url, {**form, "version": 1}).status_code == 302  # makes the programme
    version = selectors.programme_for(world.project).version
    assert client.post(settings_url, {**form, "version": version}).status_code == 302
    stale_save = client.post(settings_url, {**form, "major_nc_warn_months": 2, "version": version})
    assert stale_save.status_code == 409
    assert selectors.programme_for(world.project).major_nc_warn_months == 3
