from datetime import date

import pytest
import time_machine
from django.core.exceptions import ValidationError

from documents import services
from documents.models import DocumentStatus, VersionStatus, VersionTransition
from projects.models import Phase
from tests.factories import add_version, mandatory


@pytest.fixture
def policy(world):
    doc = mandatory(world.project, "DOC-02")
    doc.owner, doc.approver = world.user("contributor"), world.user("viewer")
    doc.review_interval_months = 12
    doc.save()
    return doc


def approve_url(world, doc, version):
    return f"/projects/{world.project.pk}/documents/{doc.pk}/versions/{version.pk}/approve/"


@time_machine.travel("2026-03-31 10:00:00+00:00", tick=False)
def test_named_approver_approves_and_the_version_becomes_current(world, client_for, policy):
    version = add_version(policy, world.user("contributor"), status=VersionStatus.IN_REVIEW)
    response = client_for("viewer").post(
        approve_url(world, policy, version), {"comment": "Agreed by the board"}
    )
    assert response.status_code == 302
    policy.refresh_from_db()
    version.refresh_from_db()
    assert policy.status == DocumentStatus.APPROVED
    assert policy.current_version == version
    assert (version.status, version.approved_by) == (VersionStatus.APPROVED, world.user("viewer"))
    assert policy.next_review_date == date(2027, 3, 31)
    trail = list(
        VersionTransition.objects.filter(version=version).values_list("to_status", "actor__username")
    )
    assert trail == [("draft", "contributor"), ("in_review", "contributor"), ("approved", "viewer")]
    assert (
        VersionTransition.objects.get(version=version, to_status="approved").comment == "Agreed by the board"
    )


def test_approving_supersedes_the_previous_version(world, policy):
    first = add_version(policy, world.user("contributor"), status=VersionStatus.APPROVED)
    policy.refresh_from_db()
    second = add_version(policy, world.user("contributor"), change_summary="Scope widened")
    policy.refresh_from_db()
    assert policy.status == DocumentStatus.APPROVED  # the approved version stays in force meanwhile
    services.version_submit(version=second, user=world.user("contributor"))
    services.version_approve(version=second, user=world.user("viewer"))
    first.refresh_from_db()
    second.refresh_from_db()
    policy.refresh_from_db()
    assert first.status == VersionStatus.SUPERSEDED
    assert (second.status, second.supersedes) == (VersionStatus.APPROVED, first)
    assert policy.current_version == second


def test_author_cannot_approve_their_own_version_in_the_service(world, policy):
    """Segregation of duties: even when named approver, the author of a version may not approve it."""
    version = add_version(policy, world.user("contributor"), status=VersionStatus.IN_REVIEW)
    policy.approver = world.user("contributor")
    policy.save()
    with pytest.raises(ValidationError, match="segregation of duties"):
        services.version_approve(version=version, user=world.user("contributor"))
    version.refresh_from_db()
    assert version.status == VersionStatus.IN_REVIEW
    assert version.approved_by is None


def test_author_cannot_approve_their_own_version_through_the_view(world, client_for, policy):
    version = add_version(policy, world.user("contributor"), status=VersionStatus.IN_REVIEW)
    policy.approver = world.user("contributor")
    policy.save()
    response = client_for("contributor").post(approve_url(world, policy, version))
    assert response.status_code == 403
    version.refresh_from_db()
    assert version.status == VersionStatus.IN_REVIEW


def test_the_database_refuses_an_approval_by_the_author(world, policy):
    from django.db import IntegrityError, transaction

    version = add_version(policy, world.user("contributor"))
    version.approved_by = world.user("contributor")
    with pytest.raises(IntegrityError), transaction.atomic():
        version.save()


def test_asking_for_review_needs_an_approver_other_than_the_author(world, client_for, policy):
    policy.approver = world.user("contributor")
    policy.save()
    version = add_version(policy, world.user("contributor"))
    url = f"/projects/{world.project.pk}/documents/{policy.pk}/versions/{version.pk}/submit/"
    response = client_for("contributor").post(url)
    assert response.status_code == 422
    assert "segregation of duties" in response.content.decode()
    version.refresh_from_db()
    assert version.status == VersionStatus.DRAFT


def test_asking_for_review_without_an_approver_is_refused(world, policy):
    policy.approver = None
    policy.save()
    version = add_version(policy, world.user("contributor"))
    with pytest.raises(ValidationError, match="Name an approver"):
        services.version_submit(version=version, user=world.user("contributor"))


def test_someone_who_is_not_the_approver_cannot_approve(world, policy):
    version = add_version(policy, world.user("contributor"), status=VersionStatus.IN_REVIEW)
    with pytest.raises(ValidationError, match="named approver"):
        services.version_approve(version=version, user=world.user("lead"))


def test_approving_twice_is_refused(world, policy):
    version = add_version(policy, world.user("contributor"), status=VersionStatus.APPROVED)
    with pytest.raises(ValidationError, match="not waiting for approval"):
        services.version_approve(version=version, user=world.user("viewer"))


def test_approval_raises_the_progress_of_the_items_phase(world, policy, progress_refresh_inline):
    phase = Phase.objects.get(project=world.project, key="4")
    before = phase.progress
    add_version(policy, world.user("contributor"), status=VersionStatus.APPROVED)
    phase.refresh_from_db()
    assert phase.progress > before
    assert phase.progress == round(100 * 1 / 5)  # one of phase 4's five mandatory items, no tasks


def test_approver_returns_a_version_with_a_reason(world, client_for, policy):
    version = add_version(policy, world.user("contributor"), status=VersionStatus.IN_REVIEW)
    url = f"/projects/{world.project.pk}/documents/{policy.pk}/versions/{version.pk}/return/"
    client = client_for("viewer")
    assert client.post(url, {"comment": ""}).status_code == 422
    assert client.post(url, {"comment": "Add the objectives link"}).status_code == 302
    version.refresh_from_db()
    policy.refresh_from_db()
    assert (version.status, policy.status) == (VersionStatus.DRAFT, DocumentStatus.DRAFT)
    assert VersionTransition.objects.filter(version=version).last().comment == "Add the objectives link"
