"""The document page shows each member only the actions they may take."""

import pytest

from documents import selectors
from documents.models import Document, VersionStatus
from projects.models import Project
from tests.factories import add_version, mandatory


@pytest.fixture
def policy(world):
    doc = mandatory(world.project, "DOC-02")
    doc.owner, doc.approver = world.user("contributor"), world.user("viewer")
    doc.save()
    return doc


def page(client_for, world, role, doc):
    return client_for(role).get(f"/projects/{world.project.pk}/documents/{doc.pk}/").content.decode()


def test_owner_sees_upload_and_edit_buttons_others_do_not(world, client_for, policy):
    assert "Add first version" in page(client_for, world, "contributor", policy)
    for role in ("auditor", "viewer"):
        html = page(client_for, world, role, policy)
        assert "Add first version" not in html and "Edit details" not in html


def test_contributor_sees_no_upload_button_on_a_document_they_do_not_own(world, client_for):
    doc = mandatory(world.project, "DOC-01")
    doc.owner = world.user("lead")
    doc.save()
    html = page(client_for, world, "contributor", doc)
    assert "Add first version" not in html and "Edit details" not in html
    assert "Make obsolete" not in html


def test_only_the_approver_sees_approve_and_the_author_never_does(world, client_for, policy):
    add_version(policy, world.user("contributor"), status=VersionStatus.IN_REVIEW)
    assert "Approve version 1" in page(client_for, world, "viewer", policy)
    for role in ("contributor", "lead", "auditor"):
        assert "Approve version 1" not in page(client_for, world, role, policy)


def test_an_obsolete_mandatory_item_counts_as_missing_again(world, client_for, policy):
    add_version(policy, world.user("contributor"), status=VersionStatus.APPROVED)
    assert selectors.mandatory_coverage(world.project).approved == 1
    client_for("lead").post(f"/projects/{world.project.pk}/documents/{policy.pk}/obsolete/")
    coverage = selectors.mandatory_coverage(world.project)
    assert coverage.approved == 0
    assert [m.status_label for m in coverage.missing if m.item.code == "DOC-02"] == ["Obsolete"]


def test_coverage_counts_the_required_items_in_constant_queries(world, django_assert_num_queries):
    # register rows, audits' held records, months of operating evidence
    with django_assert_num_queries(3):
        coverage = selectors.mandatory_coverage(world.project)
    # 43 items less DOC-19, which the reference marks recommended (D*)
    assert (coverage.approved, coverage.required, len(coverage.missing)) == (0, 42, 42)


def test_deleting_a_project_removes_its_register(world, policy):
    add_version(policy, world.user("contributor"), status=VersionStatus.APPROVED)
    Project.objects.filter(pk=world.project.pk).delete()
    assert not Document.objects.exists()
