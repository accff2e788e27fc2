"""Issue 21 §3: nonconformities from any source (10.1), and none closes without its correction
and the answers to the two 10.1 questions."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from audits import services
from audits.models import ActionStatus, Finding, FindingSource, FindingStatus
from tests.factories import make_action, make_audit, make_finding


def test_a_complaint_raises_a_nonconformity_without_an_audit(world, client_for):
    project = world.project
    data = {
        "source": "complaint",
        "source_reference": "Complaint C-2026-014",
        "grade": "minor_nc",
        "clause": "8.3.2",
        "description": "A complaint was answered after 40 days; the procedure says 10.",
        "evidence": "Complaint log",
        "owner": world.user("contributor").pk,
    }
    response = client_for("contributor").post(f"/projects/{project.pk}/audits/nonconformities/new/", data)
    assert response.status_code == 302
    finding = Finding.objects.get()
    assert (finding.audit, finding.source, finding.status) == (None, "complaint", FindingStatus.OPEN)
    assert finding.due_date is not None  # the grade's rule applies whatever the source
    listing = client_for("viewer").get(f"/projects/{project.pk}/audits/findings/").content.decode()
    assert "Service complaint: Complaint C-2026-014" in listing
    detail = client_for("viewer").get(finding.get_absolute_url()).content.decode()
    assert 'data-testid="finding-source">Service complaint: Complaint C-2026-014' in detail


def test_only_a_nonconformity_is_raised_outside_an_audit(world, client_for):
    data = {"source": "incident", "grade": "ofi", "clause": "8.6.1", "description": "Could be faster"}
    response = client_for("lead").post(f"/projects/{world.project.pk}/audits/nonconformities/new/", data)
    assert response.status_code == 422
    assert not Finding.objects.exists()
    with pytest.raises(ValidationError):
        services.nonconformity_create(
            project=world.project, user=world.user("lead"), source="audit", grade="minor_nc", clause="8.6.1",
            description="x",
        )  # fmt: skip


def test_the_database_ties_the_source_to_the_audit(world):
    audit = make_audit(world.project, user=world.user("lead"))
    finding = make_finding(audit, user=world.user("lead"))
    assert finding.source == FindingSource.AUDIT
    with pytest.raises(IntegrityError), transaction.atomic():
        Finding.objects.filter(pk=finding.pk).update(audit=None)
    with pytest.raises(IntegrityError), transaction.atomic():
        Finding.objects.filter(pk=finding.pk).update(source="complaint")


def implemented_action(world, finding):
    finding = services.finding_respond(
        finding=finding,
        user=world.user("lead"),
        expected_version=finding.version,
        correction="",
        root_cause="Nobody watched the complaint queue.",
    )
    action = services.action_create(
        finding=finding,
        user=world.user("lead"),
        description="Daily queue check",
        owner=world.user("contributor"),
        due_date=finding.due_date,
    )
    return services.action_implement(
        action=action, user=world.user("contributor"), expected_version=action.version, notes="Checked daily"
    )


def test_a_nonconformity_cannot_close_without_its_correction_and_the_10_1_answers(world):
    finding = services.nonconformity_create(
        project=world.project,
        user=world.user("lead"),
        source=FindingSource.SLA_BREACH,
        grade="minor_nc",
        clause="8.3.3",
        description="Availability 97.1% against 99.5% in November.",
        owner=world.user("lead"),
    )
    action = implemented_action(world, finding)
    with pytest.raises(ValidationError) as refused:
        services.action_verify(
            action=action,
            user=world.user("auditor"),
            expected_version=action.version,
            effective=True,
            notes="ok",
        )
    message = str(refused.value)
    assert "cannot close yet" in message and "the correction made" in message
    assert "whether similar nonconformities exist or could occur" in message
    assert "whether the actions are appropriate to the effects" in message
    action.refresh_from_db()
    finding.refresh_from_db()
    assert (action.status, finding.status) == (ActionStatus.IMPLEMENTED, FindingStatus.AWAITING_VERIFICATION)

    finding = services.finding_respond(
        finding=finding,
        user=world.user("lead"),
        expected_version=finding.version,
        correction="Credited the customer for November.",
        root_cause=finding.root_cause,
        similar_nonconformities="Checked the other two services: both met their targets.",
        actions_appropriate="A daily check matches a breach that cost one customer credit.",
    )
    services.action_verify(
        action=action, user=world.user("auditor"), expected_version=action.version, effective=True, notes="ok"
    )
    finding.refresh_from_db()
    assert finding.status == FindingStatus.CLOSED


def test_the_response_form_asks_the_10_1_questions(world, client_for):
    audit = make_audit(world.project, user=world.user("lead"))
    finding = make_finding(audit, user=world.user("lead"), owner=world.user("contributor"))
    make_action(finding, user=world.user("lead"), owner=world.user("contributor"))
    page = client_for("contributor").get(finding.get_absolute_url() + "respond/").content.decode()
    assert "Do similar nonconformities exist, or could they occur?" in page
    assert "Are the actions appropriate to the effects?" in page
    detail = client_for("viewer").get(finding.get_absolute_url()).content.decode()
    assert "Checked the other audit reports of the year: all filed." in detail
