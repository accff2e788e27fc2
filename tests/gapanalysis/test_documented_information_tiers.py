"""Questions distinguish documented information the standard requires from good practice, following
the tiers of the reference (docs: ../shared/reference/iso20000-1-2018.md §2: D and R required, D* and
R* recommended); the checklist page says which."""

import json

import pytest

from gapanalysis.checklist_io import ImportFailed, import_template
from gapanalysis.models import ChecklistTemplate, Question
from tests.factories import make_assessment, template_json

pytestmark = pytest.mark.django_db

# The reference's required tiers per leaf clause (D = a document to maintain, R = a record to
# retain). Clauses not listed have only recommended tiers (D*, R*) or none.
REQUIRED_TIERS = {
    "4.3": "D", "5.2.1": "D", "5.2.2": "D", "6.1": "D", "6.2.1": "D", "6.3": "D", "7.2": "R",
    "7.5.1": "D", "7.5.4": "D", "8.1": "R", "8.2.2": "D", "8.2.4": "D", "8.2.6": "DR", "8.3.2": "DR",
    "8.3.3": "D", "8.3.4.1": "DR", "8.3.4.2": "D", "8.4.3": "D", "8.5.1.1": "D", "8.5.1.2": "R",
    "8.5.1.3": "R", "8.5.2.2": "D", "8.5.3": "DR", "8.6.1": "DR", "8.6.2": "R", "8.6.3": "R",
    "8.7.1": "DR", "8.7.2": "DR", "8.7.3.1": "D", "8.7.3.2": "D", "8.7.3.3": "R", "9.1": "R",
    "9.2": "R", "9.3": "R", "10.1": "R", "10.2": "R",
}  # fmt: skip
LETTER = {"document": "D", "record": "R"}


def library(version):
    return ChecklistTemplate.objects.library().get(slug="iso20000-1-2018", version=version)


def questions(version):
    return list(Question.objects.filter(template=library(version)).select_related("clause"))


@pytest.mark.parametrize("version", [1, 2, 3])
def test_required_only_where_the_reference_requires_that_kind_of_documented_information(version):
    for q in questions(version):
        if q.documented_information == "none":
            assert q.documented_information_tier == ""
        elif q.documented_information_tier == "required":
            assert LETTER[q.documented_information] in REQUIRED_TIERS.get(q.clause.number, ""), q.code
        else:
            assert q.documented_information_tier == "recommended", q.code


@pytest.mark.parametrize("version", [1, 2, 3])
def test_starred_clauses_never_require_documented_information(version):
    for q in questions(version):
        if q.clause.number not in REQUIRED_TIERS:
            assert q.documented_information_tier in ("", "recommended"), q.code


def test_65_of_the_164_v1_questions_are_good_practice_in_both_versions():
    v1_codes = {q.code for q in questions(1)}
    recommended_v1 = {q.code for q in questions(1) if q.documented_information_tier == "recommended"}
    recommended_v2 = {q.code for q in questions(2) if q.documented_information_tier == "recommended"}
    assert len(recommended_v1) == 65
    assert recommended_v2 & v1_codes == recommended_v1
    assert len(recommended_v2) == 70  # and 5 of the 16 new questions
    # Every recommended one asks for documented information that a clause's starred tier covers,
    # or for something other than the item the clause requires: none asks for nothing.
    assert all(q.documented_information != "none" for q in questions(2) if q.code in recommended_v2)


def test_ga_6_1_03_asks_for_documented_customer_impact_and_is_required():
    q = Question.objects.get(template=library(2), code="GA-6.1-03")
    assert (q.documented_information, q.documented_information_tier) == ("document", "required")
    assert "documented" in q.text and "customers" in q.text
    # v1 keeps its wording: existing assessments do not change under their auditors
    assert Question.objects.get(template=library(1), code="GA-6.1-03").documented_information == "none"


def test_the_checklist_page_says_which_is_required_and_which_is_good_practice(client, world):
    assessment = make_assessment(world.project, user=world.user("lead"), template=library(2))
    client.force_login(world.user("viewer"))
    page = client.get(f"/projects/{world.project.pk}/gap/{assessment.pk}/clauses/6.1/").content.decode()
    cards = {card.split('"', 1)[0]: card for card in page.split('data-question="')[1:]}
    assert "Document · Required by the standard" in cards["GA-6.1-03"]
    assert "Record · Good practice" in cards["GA-6.1-04"]
    assert "Required by the standard" not in cards["GA-6.1-05"] and "Good practice" not in cards["GA-6.1-05"]


def test_an_imported_file_without_tiers_reads_documented_information_as_required():
    data = template_json(slug="no-tiers")
    data["questions"][0]["documented_information"] = "record"
    for q in data["questions"]:
        q.pop("documented_information_tier", None)
    template = import_template(json.dumps(data).encode(), filename="t.json")
    tiers = dict(template.questions.values_list("code", "documented_information_tier"))
    assert tiers[data["questions"][0]["id"]] == "required"
    assert set(tiers.values()) == {"required", ""}


def test_an_import_with_a_wrong_tier_is_refused_with_its_place():
    data = template_json(slug="bad-tiers")
    data["questions"][0].update(documented_information="document", documented_information_tier="maybe")
    data["questions"][1].update(documented_information="none", documented_information_tier="required")
    with pytest.raises(ImportFailed) as failed:
        import_template(json.dumps(data).encode(), filename="t.json")
    text = " ".join(failed.value.errors)
    assert "documented_information_tier must be required or recommended (got “maybe”)" in text
    assert "documented_information_tier must be empty when documented_information is none" in text
