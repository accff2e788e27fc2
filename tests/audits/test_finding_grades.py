"""Findings as certification bodies grade them: each grade's definition and handling rule on the form
and the page; response due dates follow the grade's rule; a major NC from a certification audit is
closed only once the certification body verified it; an open major NC blocks readiness."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from audits import services
from audits.grading import grade_rules
from audits.models import AuditType, FindingStatus, Grade
from readiness.gate import blockers_for as readiness_blockers
from tests.factories import make_action, make_audit, make_finding

pytestmark = pytest.mark.django_db


def _raised_on(finding):
    return timezone.localdate(finding.raised_at)


def test_every_grade_has_a_definition_a_handling_rule_and_the_nc_grades_a_window():
    rules = grade_rules()
    assert set(rules) == set(Grade.values)
    assert all(rule.definition and rule.handling for rule in rules.values())
    assert rules[Grade.MAJOR_NC].response_days == 30 and rules[Grade.MINOR_NC].response_days == 90
    assert rules[Grade.OBSERVATION].response_days is None
    assert "before certification" in rules[Grade.MAJOR_NC].handling
    assert "certification body" in rules[Grade.MAJOR_NC].handling


def test_windows_come_from_settings(settings):
    settings.FINDING_RESPONSE_DAYS_MAJOR = 14
    assert grade_rules()[Grade.MAJOR_NC].response_days == 14


@pytest.mark.parametrize(("grade", "days"), [(Grade.MAJOR_NC, 30), (Grade.MINOR_NC, 90)])
def test_an_empty_due_date_is_set_by_the_rule_when_raised(world, grade, days):
    audit = make_audit(world.project, user=world.user("lead"))
    finding = make_finding(audit, user=world.user("lead"), grade=grade, due_date=None)
    assert finding.due_date == _raised_on(finding) + timedelta(days=days)
    assert f"answer due {finding.due_date:%-d %b %Y}" in finding.events.get(verb="raised").note


def test_an_earlier_date_is_kept_and_a_later_one_refused(world):
    audit = make_audit(world.project, user=world.user("lead"))
    today = timezone.localdate()
    early = make_finding(audit, user=world.user("lead"), grade=Grade.MAJOR_NC, due_date=today + timedelta(10))
    assert early.due_date == today + timedelta(days=10)
    with pytest.raises(ValidationError) as error:
        make_finding(audit, user=world.user("lead"), grade=Grade.MAJOR_NC, due_date=today + timedelta(45))
    assert "within 30 days" in str(error.value)
    assert audit.findings.count() == 1  # nothing half-saved


def test_regrading_moves_the_due_date_to_the_new_grades_rule(world):
    audit = make_audit(world.project, user=world.user("lead"))
    finding = make_finding(audit, user=world.user("lead"), grade=Grade.MINOR_NC, due_date=None)
    assert finding.due_date == _raised_on(finding) + timedelta(days=90)
    finding = services.finding_update(
        finding=finding,
        user=world.user("lead"),
        expected_version=finding.version,
        grade=Grade.MAJOR_NC,
        due_date=finding.due_date,
    )
    assert finding.due_date == _raised_on(finding) + timedelta(days=30)


def test_form_and_page_show_the_grade_definitions_and_handling(world, client_for):
    audit = make_audit(world.project, user=world.user("lead"))
    client = client_for("lead")
    form = client.get(f"/projects/{world.project.pk}/audits/{audit.pk}/findings/new/").content.decode()
    assert 'data-testid="grade-guide"' in form
    for rule in grade_rules().values():
        assert rule.label in form and rule.response in form
    finding = make_finding(audit, user=world.user("lead"), grade=Grade.MAJOR_NC, due_date=None)
    page = client.get(finding.get_absolute_url()).content.decode()
    assert 'data-testid="grade-rule"' in page
    assert "before certification" in page
    assert "within 30 days of being raised" in page
    assert f"{finding.due_date:%-d %b %Y}".lstrip("0") in page or f"{finding.due_date:%d %b %Y}" in page


def _implemented_major(world, audit_type):
    lead, contributor = world.user("lead"), world.user("contributor")
    audit = make_audit(world.project, user=lead, audit_type=audit_type, scope=("8.1",))
    finding = make_finding(audit, user=lead, grade=Grade.MAJOR_NC, clause="8.1", owner=contributor)
    action = make_action(finding, user=lead, owner=contributor)
    return services.action_implement(
        action=action, user=contributor, expected_version=action.version, notes="Fixed"
    )


def test_a_stage_2_major_nc_closes_only_with_the_certification_bodys_verification(world):
    action = _implemented_major(world, AuditType.STAGE2)
    with pytest.raises(ValidationError) as error:
        services.action_verify(
            action=action,
            user=world.user("lead"),
            expected_version=action.version,
            effective=True,
            notes="Ok",
        )
    assert "verified by the certification body" in str(error.value)
    action.refresh_from_db()
    assert action.status == "implemented"
    action = services.action_verify(
        action=action,
        user=world.user("lead"),
        expected_version=action.version,
        effective=True,
        notes="CB letter of 3 March",
        by_certification_body=True,
    )
    assert action.verified_by_certification_body
    action.finding.refresh_from_db()
    assert action.finding.status == FindingStatus.CLOSED


def test_an_internal_major_nc_is_verified_internally(world):
    action = _implemented_major(world, AuditType.INTERNAL)
    action = services.action_verify(
        action=action, user=world.user("lead"), expected_version=action.version, effective=True, notes="Ok"
    )
    action.finding.refresh_from_db()
    assert action.finding.status == FindingStatus.CLOSED and not action.verified_by_certification_body


def test_the_verify_view_refuses_a_stage_2_major_without_the_confirmation(world, client_for):
    action = _implemented_major(world, AuditType.STAGE2)
    url = f"/projects/{world.project.pk}/audits/actions/{action.pk}/verify/"
    response = client_for("lead").post(url, {"effective": "1", "notes": "Looked", "version": action.version})
    assert response.status_code == 422
    assert "verified by the certification body" in response.content.decode()
    page = client_for("lead").get(action.finding.get_absolute_url()).content.decode()
    assert 'name="by_certification_body"' in page


def test_an_open_major_nc_blocks_readiness(world):
    audit = make_audit(world.project, user=world.user("lead"))
    finding = make_finding(audit, user=world.user("lead"), grade=Grade.MAJOR_NC, due_date=None)
    messages = [b.message for b in readiness_blockers(world.project)]
    assert any(finding.reference in m and "Major nonconformity" in m for m in messages)
