from datetime import timedelta

from django.utils import timezone

from tests.factories import make_action, make_audit, make_finding, make_review


def test_later_save_of_a_finding_is_refused_and_shows_the_current_text(world, client):
    audit = make_audit(world.project, user=world.user("lead"), team=[world.user("auditor")])
    finding = make_finding(audit, user=world.user("auditor"), owner=world.user("contributor"))
    url = f"/projects/{world.project.pk}/audits/findings/{finding.pk}/edit/"
    data = {
        "grade": "minor_nc",
        "clause": "9.2",
        "evidence": "",
        "owner": world.user("contributor").pk,
        "due_date": (timezone.localdate() + timedelta(days=9)).isoformat(),
        "version": finding.version,
    }
    client.force_login(world.user("auditor"))
    assert client.post(url, {**data, "description": "First save"}).status_code == 302
    client.force_login(world.user("lead"))
    response = client.post(url, {**data, "description": "Stale save"})
    assert response.status_code == 409
    assert "First save" in response.content.decode()
    finding.refresh_from_db()
    assert finding.description == "First save"


def test_later_response_is_refused(world, client):
    audit = make_audit(world.project, user=world.user("lead"))
    finding = make_finding(audit, user=world.user("lead"), owner=world.user("contributor"))
    url = f"/projects/{world.project.pk}/audits/findings/{finding.pk}/respond/"
    client.force_login(world.user("contributor"))
    assert client.post(url, {"root_cause": "Cause A", "version": finding.version}).status_code == 302
    client.force_login(world.user("lead"))
    response = client.post(url, {"root_cause": "Cause B", "version": finding.version})
    assert response.status_code == 409
    assert "Cause A" in response.content.decode()
    assert "Someone else saved this finding" in response.content.decode()
    finding.refresh_from_db()
    assert finding.root_cause == "Cause A"


def test_implementing_an_action_that_changed_meanwhile_is_refused(world, client):
    audit = make_audit(world.project, user=world.user("lead"))
    finding = make_finding(audit, user=world.user("lead"), owner=world.user("contributor"))
    action = make_action(finding, user=world.user("lead"), owner=world.user("contributor"))
    client.force_login(world.user("contributor"))
    url = f"/projects/{world.project.pk}/audits/actions/{action.pk}/implement/"
    assert client.post(url, {"notes": "Done", "version": action.version}).status_code == 302
    response = client.post(url, {"notes": "Done again", "version": action.version})
    assert response.status_code == 409
    action.refresh_from_db()
    assert action.implementation_notes == "Done"


def test_review_section_later_save_is_refused(world, client):
    review = make_review(world.project, user=world.user("lead"))
    section = review.sections.first()
    url = f"/projects/{world.project.pk}/audits/reviews/{review.pk}/sections/{section.pk}/"
    client.force_login(world.user("lead"))
    prefix = f"s{section.pk}"
    first = client.post(url, {f"{prefix}-notes": "Agreed", f"{prefix}-version": 1}, HTTP_HX_REQUEST="true")
    assert first.status_code == 200 and "Saved" in first.content.decode()
    second = client.post(
        url, {f"{prefix}-notes": "Overwrite", f"{prefix}-version": 1}, HTTP_HX_REQUEST="true"
    )
    assert second.status_code == 409
    assert "Agreed" in second.content.decode()
    section.refresh_from_db()
    assert section.notes == "Agreed"
