"""DOC-14 is "Capacity requirements", required by the standard (8.4.3); a capacity plan is good practice.
Registers seeded before the rename get the new title from a migration that keeps their versions."""

import importlib

from django.apps import apps

from documents.mandatory import mandatory_by_code, required_items
from documents.models import Document, DocumentStatus, VersionStatus
from tests.factories import add_version, make_project, mandatory

migration = importlib.import_module("documents.migrations.0005_doc14_capacity_requirements")
OLD_TITLE = "Capacity requirements and capacity plan"


def test_doc14_is_capacity_requirements_and_required():
    item = mandatory_by_code()["DOC-14"]
    assert (item.title, item.tier, item.clauses, item.kind) == (
        "Capacity requirements",
        "required",
        ("8.4.3",),
        "document",
    )
    assert item in required_items()
    # the plan is named as good practice, not as what the standard demands
    assert "capacity plan" in item.guidance and "good practice" in item.guidance


def test_a_new_register_lists_doc14_under_its_new_title(db):
    project = make_project()
    assert mandatory(project, "DOC-14").title == "Capacity requirements"


def test_the_migration_renames_an_older_register_entry_and_keeps_its_versions(world):
    doc = mandatory(world.project, "DOC-14")
    doc.owner, doc.approver = world.user("contributor"), world.user("lead")
    doc.title = OLD_TITLE  # as seeded before the rename
    doc.save()
    approved = add_version(doc, world.user("contributor"), status=VersionStatus.APPROVED)
    draft = add_version(doc, world.user("contributor"), change_summary="Next year's figures")
    doc.refresh_from_db()
    before = (doc.status, doc.current_version_id, doc.latest_version_id, doc.next_review_date, doc.version)

    migration.forwards(apps, None)

    doc.refresh_from_db()
    assert doc.title == "Capacity requirements"
    assert (doc.status, doc.current_version_id, doc.latest_version_id, doc.next_review_date) == before[:4]
    assert doc.status == DocumentStatus.APPROVED
    assert list(doc.versions.order_by("number").values_list("pk", flat=True)) == [approved.pk, draft.pk]
    assert doc.version == before[4] + 1  # an edit form opened before the rename gets a conflict
    last = doc.history.order_by("-history_id").first()
    assert (last.title, last.history_type) == ("Capacity requirements", "~")
    assert "DOC-14" in last.history_change_reason


def test_the_migration_leaves_a_title_the_lead_chose_and_adds_nothing_when_run_again(world):
    other = make_project(name="Renamed by its lead")
    Document.objects.filter(project=other, mandatory_code="DOC-14").update(title="Capacity model 2025")
    Document.objects.filter(project=world.project, mandatory_code="DOC-14").update(title=OLD_TITLE)
    migration.forwards(apps, None)
    migration.forwards(apps, None)
    assert mandatory(other, "DOC-14").title == "Capacity model 2025"
    renamed = mandatory(world.project, "DOC-14")
    assert renamed.title == "Capacity requirements"
    assert renamed.history.filter(history_change_reason__startswith="DOC-14").count() == 1
    assert Document.objects.filter(mandatory_code="DOC-14").count() == 2
