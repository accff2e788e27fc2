"""Every model with a foreign-key path to a project is exported or excluded with a reason: a model
added later cannot be forgotten by the export."""

from django.apps import apps
from django.db import models

from transfer import graph, rules


def test_every_model_of_a_project_is_exported_or_excluded_with_a_reason():
    exported = {node.label for node in graph.exported_models()}
    belonging = set(graph.project_paths())
    forgotten = belonging - exported - set(rules.EXCLUDED)
    assert not forgotten, (
        f"Export these with the project or add them to rules.EXCLUDED with a reason: {forgotten}"
    )
    assert all(len(reason) > 20 for reason in rules.EXCLUDED.values())
    assert set(rules.EXCLUDED) <= belonging, "an exclusion names a model that no longer belongs to projects"


def test_the_discovery_finds_the_records_of_every_app_and_their_history():
    exported = {node.label for node in graph.exported_models()}
    assert {
        "projects.task",
        "projects.taskattachment",
        "gapanalysis.response",
        "gapanalysis.evidence",
        "gapanalysis.assessment_scope_clauses",
        "documents.documentversion",
        "documents.evidenceentry",
        "audits.correctiveaction",
        "audits.reviewoutput",
        "reports.report",
        "projects.readinesssnapshot",
        "projects.historicalproject",
        "projects.historicaltask",
    } <= exported


def test_every_key_of_an_exported_model_leads_to_an_exported_model_a_user_or_shared_content():
    exported = {node.label for node in graph.exported_models()}
    for node in graph.exported_models():
        for field in graph.foreign_keys(node.model):
            target = graph.label(field.related_model)
            assert target in exported | {rules.USER_MODEL} | set(rules.GLOBAL_CONTENT), (
                f"{node.label}.{field.name} points at {target}: export it or map it by natural key"
            )


def test_every_file_field_of_a_project_model_is_exported():
    exported = {node.label for node in graph.exported_models()}
    with_files = {
        graph.label(model)
        for model in apps.get_models()
        if label_has_file(model) and graph.label(model) in graph.project_paths()
    }
    # an excluded model's files (an uploaded archive waiting for its import) stay with it
    assert with_files and with_files - set(rules.EXCLUDED) <= exported


def label_has_file(model) -> bool:
    return any(isinstance(f, models.FileField) for f in model._meta.concrete_fields)


def test_a_new_model_with_a_path_to_a_project_fails_the_coverage_check(monkeypatch):
    """The check above would catch it: a model that reaches a project is found."""
    from projects.models import Task

    class Probe(models.Model):
        task = models.ForeignKey(Task, on_delete=models.CASCADE)

        class Meta:
            app_label = "projects"

        def __str__(self):
            return "probe"

    try:
        graph.project_paths.cache_clear()
        assert graph.project_paths()["projects.probe"] == "task__project"
    finally:
        apps.all_models["projects"].pop("probe", None)
        apps.clear_cache()
        graph.project_paths.cache_clear()
        graph.exported_models.cache_clear()


def test_every_citable_register_entry_kind_is_mapped_to_its_model():
    """A kind of entry that can be cited as checklist evidence (kernel.extensions.evidence_sources)
    must say which model its entry_id names, or the import could not remap its citations."""
    from kernel.extensions import evidence_sources

    assert set(evidence_sources()) <= set(rules.CITED_ENTRIES)
    exported = {node.label for node in graph.exported_models()}
    assert set(rules.CITED_ENTRIES.values()) <= exported
    for label in rules.CITATIONS:
        model = apps.get_model(label)
        assert {"entry_kind", "entry_id", "entry_path"} <= {f.name for f in model._meta.fields}
