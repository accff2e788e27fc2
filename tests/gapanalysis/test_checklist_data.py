"""The ISO/IEC 20000-1:2018 checklist shipped by the data migration."""

import re

import pytest

from gapanalysis.models import ChecklistTemplate, DocumentedInformation, Question, TemplateClause

pytestmark = pytest.mark.django_db

SAMPLE_TITLES = {
    "4.1": "Understanding the organization and its context",
    "4.3": "Determining the scope of the service management system",
    "5.2.1": "Establishing the service management policy",
    "5.3": "Organizational roles, responsibilities and authorities",
    "6.2.2": "Plan to achieve objectives",
    "7.5.4": "Service management system documented information",
    "8.2.1": "Service delivery",
    "8.3.4.2": "Management of internal suppliers and customers acting as a supplier",
    "8.4.1": "Budgeting and accounting for services",
    "9.2": "Internal audit",
    "10.1": "Nonconformity and corrective action",
}


def shipped():
    return ChecklistTemplate.objects.get(slug="iso20000-1-2018", version=1)


def test_migration_ships_the_57_leaf_clauses():
    template = shipped()
    assert template.standard == "ISO/IEC 20000-1:2018"
    assert TemplateClause.objects.filter(template=template, is_leaf=True).count() == 57


def test_clause_titles_are_exact_for_a_sample():
    titles = dict(TemplateClause.objects.filter(template=shipped()).values_list("number", "title"))
    for number, title in SAMPLE_TITLES.items():
        assert titles[number] == title


def test_top_level_clauses_are_4_to_10_and_every_parent_is_their_prefix():
    clauses = list(TemplateClause.objects.filter(template=shipped()).select_related("parent"))
    assert sorted(int(c.number) for c in clauses if c.parent is None) == list(range(4, 11))
    for clause in clauses:
        if clause.parent:
            assert clause.number.startswith(clause.parent.number + ".")
            assert not clause.parent.is_leaf


def test_at_least_150_questions_each_on_a_leaf_and_every_leaf_has_one():
    template = shipped()
    questions = list(Question.objects.filter(template=template).select_related("clause"))
    assert len(questions) >= 150
    assert all(q.clause.is_leaf for q in questions)
    assert all(
        re.fullmatch(r"GA-\d+(\.\d+)*-\d\d", q.code) and q.code[3:].startswith(q.clause.number + "-")
        for q in questions
    )
    assert {q.clause_id for q in questions} == set(
        TemplateClause.objects.filter(template=template, is_leaf=True).values_list("pk", flat=True)
    )
    assert {q.documented_information for q in questions} <= set(DocumentedInformation.values)


def test_running_the_data_migration_again_adds_nothing():
    from importlib import import_module

    from django.apps import apps

    import_module("gapanalysis.migrations.0002_iso20000_checklist").load(apps, None)
    import_module("gapanalysis.migrations.0007_iso20000_checklist_v2").load(apps, None)
    import_module("gapanalysis.migrations.0009_iso20000_checklist_v3").load(apps, None)
    assert ChecklistTemplate.objects.filter(slug="iso20000-1-2018").count() == 3
    assert Question.objects.filter(template=shipped()).count() == 164
    assert Question.objects.filter(template__slug="iso20000-1-2018", template__version=2).count() == 180
    assert Question.objects.filter(template__slug="iso20000-1-2018", template__version=3).count() == 186
