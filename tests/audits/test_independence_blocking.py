"""Issue 21 §3: an internal auditor may not audit their own work. The audit is refused when it is
planned and again when it is closed, unless the lead records why it may go ahead."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from audits import services
from audits.models import Audit, AuditStatus
from documents.models import OperatingProcess
from projects.models import Phase
from tests.factories import hold_audit, make_audit


def own_phase_5(world):
    auditor = world.user("auditor")
    Phase.objects.filter(project=world.project, key="5").update(owner=auditor)  # 7.1–7.5, 9.2, 10.1
    return auditor


def test_an_auditor_auditing_their_own_phase_is_refused_without_override(world):
    auditor = own_phase_5(world)
    with pytest.raises(ValidationError) as refused:
        make_audit(
            world.project,
            user=world.user("lead"),
            lead_auditor=auditor,
            team=[auditor],
            scope=["9.2"],
            independence_override_reason="",
        )
    assert "An auditor may not audit their own work" in str(refused.value)
    assert "owns phase 5" in str(refused.value)
    assert not Audit.objects.filter(project=world.project).exists()


def test_the_plan_form_shows_the_refusal_and_saves_nothing(world, client_for):
    auditor = own_phase_5(world)
    data = {
        "audit_type": "internal",
        "title": "Audit of 9.2",
        "planned_start": "2026-12-10",
        "planned_end": "2026-12-11",
        "lead_auditor": auditor.pk,
        "team": [auditor.pk],
        "scope_clauses": ["9.2"],
    }
    response = client_for("auditor").post(f"/projects/{world.project.pk}/audits/new/", data)
    assert response.status_code == 422
    assert "An auditor may not audit their own work" in response.content.decode()
    # an auditor cannot override; the lead can
    response = client_for("auditor").post(
        f"/projects/{world.project.pk}/audits/new/", {**data, "independence_override_reason": "I'm fine"}
    )
    assert response.status_code == 422
    assert "Only the project lead can override" in response.content.decode()
    assert not Audit.objects.exists()
    reason = "Only trained auditor; a peer reviews her working papers."
    response = client_for("lead").post(
        f"/projects/{world.project.pk}/audits/new/", {**data, "independence_override_reason": reason}
    )
    assert response.status_code == 302
    audit = Audit.objects.get()
    assert audit.independence_override_reason == reason
    assert audit.independence_override_by == world.user("lead")
    assert audit.independence_overridden and "owns phase 5" in audit.independence_overridden[0]


def test_owning_the_process_in_scope_is_own_work(world):
    auditor = world.user("auditor")
    OperatingProcess.objects.create(
        project=world.project, clause="8.6.1", owner=auditor, started_on=date(2026, 1, 1)
    )
    with pytest.raises(ValidationError, match="owns process 8.6.1 Incident management"):
        make_audit(
            world.project,
            user=world.user("lead"),
            lead_auditor=auditor,
            team=[auditor],
            scope=["8.6.1"],
            independence_override_reason="",
        )


def test_closing_checks_again(world):
    lead, auditor = world.user("lead"), world.user("auditor")
    audit = make_audit(world.project, user=lead, lead_auditor=auditor, team=[auditor], scope=["9.2"])
    audit = hold_audit(audit, user=auditor)
    own_phase_5(world)  # the auditor took over the area being audited after planning
    with pytest.raises(ValidationError, match="An auditor may not audit their own work"):
        services.audit_advance(audit=audit, user=auditor, to_status=AuditStatus.CLOSED)
    audit.refresh_from_db()
    assert audit.status == AuditStatus.REPORT_ISSUED
    audit = services.audit_update(
        audit=audit,
        user=lead,
        expected_version=audit.version,
        scope_clauses=audit.scope_clauses,
        team=[auditor],
        independence_override_reason="The area changed hands after the audit was done.",
    )
    assert services.audit_advance(audit=audit, user=auditor, to_status=AuditStatus.CLOSED).status == "closed"
