import pytest
from django.core.exceptions import ValidationError

from audits import services
from audits.models import AuditStatus
from tests.factories import make_audit


def test_status_moves_one_step_at_a_time(world, client):
    lead = world.user("lead")
    audit = make_audit(world.project, user=lead)
    with pytest.raises(ValidationError):
        services.audit_advance(audit=audit, user=lead, to_status=AuditStatus.CLOSED)
    client.force_login(lead)
    url = f"/projects/{world.project.pk}/audits/{audit.pk}/advance/"
    assert client.post(url, {"to_status": "in_progress"}).status_code == 302
    response = client.post(url, {"to_status": "report_issued", "report_summary": ""})
    assert response.status_code == 422
    assert "report summary" in response.content.decode()
    assert client.post(url, {"to_status": "report_issued", "report_summary": "Two NCs."}).status_code == 302
    assert client.post(url, {"to_status": "closed"}).status_code == 302
    audit.refresh_from_db()
    assert audit.status == AuditStatus.CLOSED and audit.report_summary == "Two NCs."


def test_scope_is_fixed_once_the_audit_started(world):
    lead = world.user("lead")
    audit = make_audit(world.project, user=lead, scope=["9.2"])
    audit = services.audit_advance(audit=audit, user=lead, to_status=AuditStatus.IN_PROGRESS)
    with pytest.raises(ValidationError, match="scope is fixed"):
        services.audit_update(
            audit=audit, user=lead, expected_version=audit.version, scope_clauses=["9.2", "9.3"], team=[]
        )


def test_unknown_clause_and_non_auditor_team_member_are_refused(world, client):
    client.force_login(world.user("lead"))
    response = client.post(
        f"/projects/{world.project.pk}/audits/new/",
        {
            "audit_type": "internal",
            "planned_start": "2030-01-01",
            "planned_end": "2030-01-02",
            "team": [world.user("contributor").pk],
            "scope_clauses": ["9.2", "12.9"],
        },
    )
    assert response.status_code == 422
    assert not world.project.audits.exists()
