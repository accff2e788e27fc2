"""Checklist v2 and v3 ship next to v1: each adds questions, existing assessments keep the version
they were made with, and new assessments take the newest version (v3) by default."""

from collections import Counter
from importlib import import_module

import pytest
from django.apps import apps

from gapanalysis.models import Assessment, ChecklistTemplate, Question, Response
from tests.factories import make_assessment

pytestmark = pytest.mark.django_db

NEW_CODES = {
    "GA-5.1-05", "GA-5.1-06", "GA-6.1-05", "GA-8.3.2-06", "GA-8.3.4.1-05", "GA-8.3.4.1-06",
    "GA-8.3.4.1-07", "GA-8.3.4.2-03", "GA-8.3.4.2-04", "GA-8.5.1.3-06", "GA-8.5.2.3-03", "GA-8.5.3-05",
    "GA-8.6.3-05", "GA-9.2-05", "GA-10.2-04", "GA-10.2-05",
}  # fmt: skip


def library(version):
    return ChecklistTemplate.objects.library().get(slug="iso20000-1-2018", version=version)


def codes(template):
    return set(Question.objects.filter(template=template).values_list("code", flat=True))


def test_v2_adds_the_new_questions_and_keeps_every_v1_question():
    v1, v2 = library(1), library(2)
    assert codes(v2) - codes(v1) == NEW_CODES
    assert codes(v1) <= codes(v2)
    assert (len(codes(v1)), len(codes(v2))) == (164, 180)
    # the new questions cover the gaps they were added for
    by_clause = dict(
        Question.objects.filter(template=v2, code__in=NEW_CODES).values_list("code", "clause__number")
    )
    assert {number for number in by_clause.values()} == {
        "5.1", "6.1", "8.3.2", "8.3.4.1", "8.3.4.2", "8.5.1.3", "8.5.2.3", "8.5.3", "8.6.3", "9.2", "10.2",
    }  # fmt: skip
    for code, number in by_clause.items():
        assert code.startswith(f"GA-{number}-")


def test_capacity_questions_speak_of_capacity_requirements():
    question = Question.objects.get(template=library(2), code="GA-8.4.3-02")
    assert "capacity requirements" in question.text
    assert "a capacity plan" not in question.text  # v1 asked for "(e.g. a capacity plan)"
    assert question.documented_information_tier == "recommended"


def test_existing_assessments_keep_v1_and_v2_and_a_new_one_takes_v3(client, world):
    old = make_assessment(world.project, user=world.user("lead"), template=library(1), title="Old")
    older = make_assessment(world.project, user=world.user("lead"), template=library(2), title="Older")
    client.force_login(world.user("lead"))
    form = client.get(f"/projects/{world.project.pk}/gap/new/").content.decode()
    assert f'value="{library(3).pk}" selected' in form  # the default is the newest version
    assert f'value="{library(2).pk}" selected' not in form
    reply = client.post(
        f"/projects/{world.project.pk}/gap/new/",
        {"title": "Follow-up", "template": library(3).pk, "clause_numbers": ""},
    )
    assert reply.status_code == 302
    new = Assessment.objects.get(title="Follow-up")
    old.refresh_from_db()
    older.refresh_from_db()
    assert (old.template, older.template, new.template) == (library(1), library(2), library(3))
    assert Response.objects.filter(assessment=old).count() == 164
    assert Response.objects.filter(assessment=older).count() == 180
    assert Response.objects.filter(assessment=new).count() == 186
    assert not Response.objects.filter(assessment=old, question__code__in=NEW_CODES).exists()
    assert not Response.objects.filter(assessment=older, question__code="GA-10.1-04").exists()
    # the v2 assessment still asks its own (v2) wording and tiers
    kept = Response.objects.get(assessment=older, question__code="GA-4.1-03").question
    assert (kept.documented_information, kept.documented_information_tier) == ("record", "recommended")


def test_the_data_migration_installs_v2_on_an_installation_that_only_had_v1():
    """An existing installation: v1 in use by an assessment, no v2 yet. Migrating adds v2 and leaves
    v1 and its assessment alone; running it again adds nothing."""
    migration = import_module("gapanalysis.migrations.0007_iso20000_checklist_v2")
    library(2).delete()
    assert not ChecklistTemplate.objects.filter(slug="iso20000-1-2018", version=2).exists()
    migration.load(apps, None)
    migration.load(apps, None)
    assert ChecklistTemplate.objects.library().filter(slug="iso20000-1-2018").count() == 3
    assert len(codes(library(2))) == 180
    assert len(codes(library(1))) == 164


def test_the_data_migration_installs_v3_beside_v1_and_v2_in_use(world):
    """An installation with v1 and v2 in use by assessments and no v3: migrating adds v3 and leaves the
    others and their assessments alone; running it again adds nothing."""
    migration = import_module("gapanalysis.migrations.0009_iso20000_checklist_v3")
    library(3).delete()
    lead = world.user("lead")
    for version in (1, 2):
        make_assessment(world.project, user=lead, template=library(version), title=f"v{version}")
    migration.load(apps, None)
    migration.load(apps, None)
    assert ChecklistTemplate.objects.library().filter(slug="iso20000-1-2018").count() == 3
    assert [len(codes(library(v))) for v in (1, 2, 3)] == [164, 180, 186]
    assert list(Assessment.objects.order_by("title").values_list("title", "template__version")) == [
        ("v1", 1),
        ("v2", 2),
    ]
    v3 = library(3)
    assert v3.standard == "ISO/IEC 20000-1:2018 + Amd 1:2024"
    assert list(v3.clauses.filter(informative=True).values_list("number", flat=True)) == ["8.3.1"]


@pytest.mark.parametrize("version,count", [(1, 164), (2, 180), (3, 186)])
def test_every_leaf_clause_has_questions(version, count):
    template = library(version)
    questions = Question.objects.filter(template=template)
    assert questions.count() == count
    leaves = set(template.clauses.filter(is_leaf=True).values_list("pk", flat=True))
    assert set(questions.values_list("clause_id", flat=True)) == leaves


@pytest.mark.parametrize("version", [1, 2, 3])
def test_every_leaf_clause_has_two_to_seven_questions(version):
    template = library(version)
    per_leaf = Counter(Question.objects.filter(template=template).values_list("clause__number", flat=True))
    assert len(per_leaf) == 57
    outside = {number: n for number, n in per_leaf.items() if not 2 <= n <= 7}
    assert not outside
