from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from audits import services
from audits.models import ActionStatus, FindingStatus, Grade
from tests.factories import make_action, make_audit, make_finding


@pytest.fixture
def nc(world):
    audit = make_audit(world.project, user=world.user("lead"), team=[world.user("auditor")])
    return make_finding(audit, user=world.user("auditor"), owner=world.user("contributor"))


def implemented(world, finding, owner="contributor"):
    action = make_action(finding, user=world.user("contributor"), owner=world.user(owner))
    return services.action_implement(
        action=action, user=world.user(owner), expected_version=action.version, notes="Procedure updated"
    )


def test_nonconformity_closes_when_its_action_is_verified_effective(world, nc):
    action = implemented(world, nc)
    nc.refresh_from_db()
    assert nc.status == FindingStatus.AWAITING_VERIFICATION
    services.action_verify(
        action=action,
        user=world.user("auditor"),
        expected_version=action.version,
        effective=True,
        notes="Sampled",
    )
    nc.refresh_from_db()
    action.refresh_from_db()
    assert action.status == ActionStatus.EFFECTIVE
    assert nc.status == FindingStatus.CLOSED
    assert nc.closed_by == world.user("auditor")
    verbs = list(nc.events.values_list("verb", flat=True))
    assert verbs == [
        "raised",
        "correction, root cause and 10.1 answers recorded",
        "corrective action added",
        "corrective action implemented",
        "awaiting verification",
        "verified effective",
        "closed",
    ]


def test_verification_by_the_actions_owner_is_refused(world, nc):
    action = implemented(world, nc, owner="auditor")
    with pytest.raises(ValidationError, match="owner of an action cannot verify"):
        services.action_verify(
            action=action,
            user=world.user("auditor"),
            expected_version=action.version,
            effective=True,
            notes="x",
        )
    action.refresh_from_db()
    assert action.status == ActionStatus.IMPLEMENTED and action.verified_by is None


def test_the_verify_page_refuses_the_actions_owner(world, nc, client):
    action = implemented(world, nc, owner="auditor")
    client.force_login(world.user("auditor"))
    url = f"/projects/{world.project.pk}/audits/actions/{action.pk}/verify/"
    response = client.post(url, {"effective": "1", "notes": "mine", "version": action.version})
    assert response.status_code == 403
    action.refresh_from_db()
    assert action.status == ActionStatus.IMPLEMENTED


def test_failed_verification_reopens_the_finding_and_returns_the_action_to_its_owner(world, nc, client):
    action = implemented(world, nc)
    client.force_login(world.user("lead"))
    response = client.post(
        f"/projects/{world.project.pk}/audits/actions/{action.pk}/verify/",
        {"effective": "0", "notes": "Same lapse found in April", "version": action.version},
    )
    assert response.status_code == 302
    nc.refresh_from_db()
    action.refresh_from_db()
    assert nc.status == FindingStatus.REOPENED
    assert action.status == ActionStatus.OPEN
    assert action.verified_by == world.user("lead")
    assert list(nc.events.values_list("verb", flat=True))[-2:] == ["verified not effective", "reopened"]
    # the owner reworks it and it goes back to verification
    action = services.action_implement(
        action=action, user=world.user("contributor"), expected_version=action.version, notes="Second try"
    )
    nc.refresh_from_db()
    assert nc.status == FindingStatus.AWAITING_VERIFICATION


def test_a_closed_finding_cannot_be_edited(world, nc, client):
    action = implemented(world, nc)
    services.action_verify(
        action=action, user=world.user("auditor"), expected_version=action.version, effective=True, notes="ok"
    )
    nc.refresh_from_db()
    with pytest.raises(ValidationError, match="closed"):
        services.finding_update(
            finding=nc, user=world.user("lead"), expected_version=nc.version, description="New"
        )
    with pytest.raises(ValidationError, match="closed"):
        services.finding_respond(
            finding=nc,
            user=world.user("lead"),
            expected_version=nc.version,
            correction="",
            root_cause="other",
        )
    client.force_login(world.user("lead"))
    base = f"/projects/{world.project.pk}/audits/findings/{nc.pk}/"
    assert client.get(base + "edit/").status_code == 409
    assert client.post(base + "respond/", {"root_cause": "x", "version": nc.version}).status_code == 409
    assert client.get(base + "actions/new/").status_code == 409
    nc.refresh_from_db()
    assert nc.root_cause == "No one owned report filing."
    assert nc.status == FindingStatus.CLOSED


def test_an_action_needs_the_root_cause_first(world, nc):
    with pytest.raises(ValidationError, match="root cause first"):
        services.action_create(
            finding=nc,
            user=world.user("contributor"),
            description="x",
            owner=world.user("contributor"),
            due_date=nc.due_date,
        )


def test_only_the_owner_reports_an_action_implemented(world, nc):
    action = make_action(nc, user=world.user("contributor"), owner=world.user("contributor"))
    with pytest.raises(ValidationError, match="owner"):
        services.action_implement(
            action=action, user=world.user("lead"), expected_version=action.version, notes="x"
        )


def test_observations_have_no_lifecycle_and_go_to_the_improvement_register(world, client):
    audit = make_audit(world.project, user=world.user("lead"), team=[world.user("auditor")])
    observation = make_finding(audit, user=world.user("auditor"), grade=Grade.OBSERVATION)
    assert observation.status == FindingStatus.NOTED
    client.force_login(world.user("auditor"))
    url = f"/projects/{world.project.pk}/audits/findings/{observation.pk}/improvement/"
    assert client.post(url).status_code == 302
    assert observation.improvement.title.startswith("F-")
    assert client.post(url).status_code == 409  # already registered: nothing doubled
    assert world.project.improvements.count() == 1


def test_a_nonconformity_without_a_due_date_gets_the_grade_rules_date(world, client):
    """Moved to the grade rules (issue 11 §7): an empty due date is the rule's, not an error; see
    tests/audits/test_finding_grades.py."""
    audit = make_audit(world.project, user=world.user("lead"), team=[world.user("auditor")])
    client.force_login(world.user("auditor"))
    response = client.post(
        f"/projects/{world.project.pk}/audits/{audit.pk}/findings/new/",
        {"grade": "major_nc", "clause": "9.2", "description": "No programme"},
    )
    assert response.status_code == 302
    finding = audit.findings.get()
    assert finding.due_date == timezone.localdate(finding.raised_at) + timedelta(days=30)
