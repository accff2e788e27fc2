import importlib

from django.apps import apps

from documents.models import Document, DocumentStatus
from tests.factories import make_project

seed_migration = importlib.import_module("documents.migrations.0002_seed_existing_projects")
doc14_migration = importlib.import_module("documents.migrations.0005_doc14_capacity_requirements")


def test_new_project_register_starts_with_43_missing_items(db):
    project = make_project()
    documents = Document.objects.filter(project=project)
    assert documents.count() == 43
    assert documents.filter(status=DocumentStatus.MISSING).count() == 43
    assert documents.filter(mandatory_code__startswith="DOC-").count() == 23
    assert documents.filter(mandatory_code__startswith="REC-", doc_type="record").count() == 20
    policy = documents.get(mandatory_code="DOC-02")
    assert (policy.code, policy.title, policy.doc_type, policy.clauses_label) == (
        "DOC-02",
        "Service management policy",
        "policy",
        "5.2.1, 5.2.2",
    )
    assert policy.clauses == ["5.2.1", "5.2.2"]


def test_projects_created_before_the_app_get_the_items_from_the_data_migration(db):
    old = make_project(name="Older project")
    Document.objects.filter(project=old).delete()  # as if created before the documents app existed
    seed_migration.seed_existing_projects(apps, None)
    assert Document.objects.filter(project=old, status=DocumentStatus.MISSING).count() == 43


def test_seeding_again_adds_nothing_and_keeps_a_clashing_code(db):
    project = make_project()
    Document.objects.filter(project=project, mandatory_code="DOC-05").delete()
    Document.objects.create(project=project, code="DOC-05", title="Our own", doc_type="form")
    seed_migration.seed_existing_projects(apps, None)
    seed_migration.seed_existing_projects(apps, None)
    assert Document.objects.filter(project=project).count() == 44
    assert Document.objects.get(project=project, mandatory_code="DOC-05").code == "ISO-DOC-05"


def test_the_frozen_migrations_seed_what_the_live_service_seeds_today(db):
    """The seed of 0002, then the later migrations that change shipped items (0005: DOC-14's title)."""
    fields = ("code", "title", "doc_type", "clauses", "status", "mandatory_code")
    live = make_project(name="Seeded by the service")
    old = make_project(name="Seeded by the migration")
    Document.objects.filter(project=old).delete()
    seed_migration.seed_existing_projects(apps, None)
    doc14_migration.forwards(apps, None)
    rows = lambda project: sorted(Document.objects.filter(project=project).values_list(*fields))  # noqa: E731
    assert rows(old) == rows(live)
