"""ClauseListField / ClauseField: one way to store clause numbers, whatever model holds them."""

import importlib

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.test.utils import CaptureQueriesContext

from audits.models import Audit, Finding
from documents import selectors
from documents.models import Document
from kernel.clauses import ClauseField, ClauseListField, clause_list_filter, normalise_clause_list
from kernel.history import history_entries
from tests.factories import make_document, make_project

conversion = importlib.import_module("documents.migrations.0003_document_clauses_as_list")


def test_typed_text_or_a_list_become_one_sorted_list_without_duplicates():
    assert normalise_clause_list(" 8.10, 8.9;8.9  5.2.1 ") == ["5.2.1", "8.9", "8.10"]
    assert normalise_clause_list(["8.2", " 4.1 ", "8.2", ""]) == ["4.1", "8.2"]
    assert normalise_clause_list(None) == normalise_clause_list("") == []


def test_the_models_use_the_fields():
    assert isinstance(Document._meta.get_field("clauses"), ClauseListField)
    assert isinstance(Audit._meta.get_field("scope_clauses"), ClauseListField)
    assert isinstance(Finding._meta.get_field("clause"), ClauseField)


def test_migrations_see_plain_django_fields():
    # so that no migration imports the live clause module
    assert Document._meta.get_field("clauses").deconstruct()[1] == "django.db.models.JSONField"
    assert Finding._meta.get_field("clause").deconstruct()[1] == "django.db.models.CharField"


def test_a_document_stores_the_normalised_list(world):
    doc = make_document(world.project, code="PRC-01", clauses="8.5.1.3, 8.5.1.2 8.5.1.3")
    assert doc.clauses == ["8.5.1.2", "8.5.1.3"]
    doc.refresh_from_db()
    assert doc.clauses == ["8.5.1.2", "8.5.1.3"] and doc.clauses_label == "8.5.1.2, 8.5.1.3"
    Document.objects.filter(pk=doc.pk).update(clauses="9.1 4.4")  # text in a bulk update too
    doc.refresh_from_db()
    assert doc.clauses == ["4.4", "9.1"]


def test_full_clean_refuses_a_wrong_number_and_a_list_too_long(world):
    doc = make_document(world.project, code="PRC-01")
    doc.clauses = "8.5, clause-x"
    with pytest.raises(ValidationError) as error:
        doc.full_clean()
    assert error.value.message_dict["clauses"] == ["“clause-x” is not a clause number such as 8.5.1."]
    doc.clauses = [f"8.{n}.{m}" for n in range(1, 10) for m in range(1, 10)]  # far past 200 characters
    with pytest.raises(ValidationError) as error:
        doc.full_clean()
    assert error.value.message_dict["clauses"] == ["Name at most 200 characters of clause numbers."]


def test_a_finding_names_one_clause_number(world):
    field = Finding._meta.get_field("clause")
    field.run_validators("8.5.1")
    for wrong in ("8.x", "8.5, 8.6", "clause 8"):
        with pytest.raises(ValidationError):
            field.run_validators(wrong)


def test_the_form_takes_typed_text_and_shows_the_same_text_back(world, client_for):
    client = client_for("lead")
    response = client.post(
        f"/projects/{world.project.pk}/documents/new/",
        {
            "code": "PRC-07",
            "title": "Change procedure",
            "doc_type": "procedure",
            "clauses": "8.5.1.3; 8.5.1.2, 8.5.1.3",
            "confidentiality": "internal",
            "review_interval_months": 12,
        },
    )
    assert response.status_code == 302
    doc = Document.objects.get(project=world.project, code="PRC-07")
    assert doc.clauses == ["8.5.1.2", "8.5.1.3"]
    edit = client.get(f"/projects/{world.project.pk}/documents/{doc.pk}/edit/").content.decode()
    assert 'value="8.5.1.2, 8.5.1.3"' in edit
    detail = client.get(doc.get_absolute_url()).content.decode()
    assert "8.5.1.2, 8.5.1.3" in detail and "[" not in detail.split("Clauses</dt>")[1].split("</dd>")[0]


def test_a_wrong_number_in_the_edit_form_is_a_422_and_saves_nothing(world, client_for):
    doc = make_document(world.project, code="PRC-01", clauses="5.2")
    response = client_for("lead").post(
        f"/projects/{world.project.pk}/documents/{doc.pk}/edit/",
        {
            "code": "PRC-01",
            "title": "Changed",
            "doc_type": "policy",
            "clauses": "5.2, 5.2.x",
            "confidentiality": "internal",
            "review_interval_months": 12,
            "version": doc.version,
        },
    )
    assert response.status_code == 422
    assert "“5.2.x” is not a clause number such as 8.5.1." in response.content.decode()
    doc.refresh_from_db()
    assert (doc.title, doc.clauses) == ("Document PRC-01", ["5.2"])


def _register(world, clause):
    return sorted(selectors.register(world.project, {"clause": clause}).values_list("code", flat=True))


def test_the_register_filter_takes_a_clause_and_its_sub_clauses_only(world):
    Document.objects.filter(project=world.project).delete()  # the mandatory items name clauses too
    make_document(world.project, code="A", clauses="8.5")
    make_document(world.project, code="B", clauses="4.1, 8.5.1.2")
    make_document(world.project, code="C", clauses="8.50")
    make_document(world.project, code="D", clauses="18.5")
    make_document(world.project, code="E", clauses="8")
    assert _register(world, "8.5") == ["A", "B"]
    assert _register(world, "8.5.1") == ["B"]
    assert _register(world, "8.50") == ["C"]
    assert "E" in _register(world, "8") and "D" not in _register(world, "8")
    assert Document.objects.filter(clause_list_filter("clauses", "4.1"), project=world.project).count() == 1


@pytest.mark.parametrize("count", [3, 60])
def test_the_clause_filter_is_one_query_whatever_the_register_size(world, count):
    Document.objects.filter(project=world.project).delete()
    for n in range(count):
        make_document(world.project, code=f"GEN-{n:03d}", clauses=f"8.5.{n % 7 + 1}")
    with CaptureQueriesContext(connection) as queries:
        assert len(_register(world, "8.5")) == count
    assert len(queries) == 1


def test_the_frozen_conversion_and_its_reverse():
    assert conversion.text_to_list("5.2.2, 5.2.1 5.2.2") == ["5.2.1", "5.2.2"]
    assert conversion.text_to_list("") == []
    assert conversion.list_to_text(["5.2.1", "5.2.2"]) == "5.2.1, 5.2.2"
    assert conversion.list_to_text([]) == ""


@pytest.mark.django_db(transaction=True)
def test_the_migration_turns_text_into_a_list_and_back():
    executor = MigrationExecutor(connection)
    before, after = [("documents", "0002_seed_existing_projects")], executor.loader.graph.leaf_nodes()
    project = make_project(name="Old")
    Document.objects.filter(project=project).delete()
    try:
        executor.migrate(before)
        old = MigrationExecutor(connection).loader.project_state(before).apps
        old.get_model("documents", "Document").objects.create(
            project_id=project.pk, code="X-1", title="Text clauses", doc_type="policy", clauses="9.1, 4.4 4.4"
        )
        old.get_model("documents", "Document").objects.create(
            project_id=project.pk, code="X-2", title="No clauses", doc_type="policy", clauses=""
        )

        executor = MigrationExecutor(connection)
        executor.migrate([("documents", "0003_document_clauses_as_list")])
        new = executor.loader.project_state([("documents", "0003_document_clauses_as_list")]).apps
        rows = dict(new.get_model("documents", "Document").objects.values_list("code", "clauses"))
        assert rows["X-1"] == ["4.4", "9.1"] and rows["X-2"] == []

        executor = MigrationExecutor(connection)
        executor.migrate(before)
        old = executor.loader.project_state(before).apps
        rows = dict(old.get_model("documents", "Document").objects.values_list("code", "clauses"))
        assert rows["X-1"] == "4.4, 9.1" and rows["X-2"] == ""
    finally:
        executor = MigrationExecutor(connection)
        executor.loader.build_graph()
        executor.migrate(after)
    assert (
        apps.get_model("documents", "Document")._meta.get_field("clauses").get_internal_type() == "JSONField"
    )


def test_the_history_shows_a_changed_list_as_text(world):
    from documents import services

    doc = make_document(world.project, code="PRC-01", clauses="5.2.1, 5.2.2")
    services.document_update(
        document=doc, user=world.user("lead"), expected_version=doc.version, clauses="5.1 5.2.2 5.2.1"
    )
    changes = [c for entry in history_entries(doc) for c in entry.changes if c.field == "Clauses"]
    assert [(c.old, c.new) for c in changes] == [("5.2.1, 5.2.2", "5.1, 5.2.1, 5.2.2")]
