"""Checklist v3 (ISO/IEC 20000-1:2018 + Amd 1:2024) says what the standard says: the climate
determination is a requirement and the 4.2 note good practice, the partial leaves are complete,
documented information the standard does not demand is good practice, and 8.3.1 only explains."""

import pytest

from gapanalysis.models import ChecklistTemplate, Question, TemplateClause

pytestmark = pytest.mark.django_db

EDITION = "ISO/IEC 20000-1:2018 + Amd 1:2024"

# Required by v2, good practice in v3: the standard asks for the activity, not for a document or record
# of it (the clause's mandatory documented information is asked for by another question).
NOW_GOOD_PRACTICE = (
    "GA-7.2-03", "GA-8.1-03", "GA-8.2.2-02", "GA-8.3.4.2-04", "GA-8.5.1.2-02", "GA-8.5.1.3-01",
    "GA-8.5.1.3-03", "GA-8.5.1.3-04", "GA-8.5.1.3-06", "GA-8.6.3-01", "GA-8.6.3-04", "GA-8.7.3.3-02",
    "GA-9.2-05", "GA-10.2-03",
)  # fmt: skip

# Questions v3 adds, with the clause each belongs to.
NEW_QUESTIONS = {
    "GA-4.1-04": "4.1",
    "GA-5.1-07": "5.1",
    "GA-6.1-06": "6.1",
    "GA-8.5.1.3-07": "8.5.1.3",
    "GA-10.1-04": "10.1",
    "GA-10.1-05": "10.1",
}


def library(version):
    return ChecklistTemplate.objects.library().get(slug="iso20000-1-2018", version=version)


def question(version, code) -> Question:
    return Question.objects.select_related("clause").get(template=library(version), code=code)


def clause_text(version, number) -> str:
    """Every question of a clause, lower case, in one string."""
    texts = Question.objects.filter(template=library(version), clause__number=number).values_list(
        "text", flat=True
    )
    return " ".join(texts).lower()


def test_v3_carries_the_edition_label_and_the_57_leaf_clauses_of_v2():
    v2, v3 = library(2), library(3)
    assert (v3.standard, v3.name) == (EDITION, f"{EDITION} gap analysis")
    assert v2.standard == "ISO/IEC 20000-1:2018"  # the older versions keep theirs
    tree = lambda t: list(t.clauses.order_by("order").values_list("number", "title", "is_leaf"))  # noqa: E731
    assert tree(v3) == tree(v2)
    assert v3.clauses.filter(is_leaf=True).count() == 57


def test_v3_has_186_questions_six_of_them_new_under_their_clauses():
    v2_codes = set(Question.objects.filter(template=library(2)).values_list("code", flat=True))
    v3 = dict(Question.objects.filter(template=library(3)).values_list("code", "clause__number"))
    assert len(v3) == 186
    assert set(v3) - v2_codes == set(NEW_QUESTIONS)
    assert v2_codes <= set(v3)
    assert {code: v3[code] for code in NEW_QUESTIONS} == NEW_QUESTIONS


def test_deciding_whether_climate_change_is_relevant_is_a_requirement_in_v3():
    v2, v3 = question(2, "GA-4.1-03"), question(3, "GA-4.1-03")
    assert (v2.documented_information, v2.documented_information_tier) == ("record", "recommended")
    # v3: the determination itself, a "shall" since Amd 1:2024, no longer flagged good practice
    assert (v3.documented_information, v3.documented_information_tier) == ("none", "")
    assert "whether climate change is one of the issues" in v3.text
    assert "Amd 1:2024" in v3.guidance
    # keeping a record of the decision is good practice: the amendment asks for none
    record = question(3, "GA-4.1-04")
    assert (record.documented_information, record.documented_information_tier) == ("record", "recommended")
    assert "climate" in record.text


def test_the_4_2_climate_note_stays_good_practice():
    note = question(3, "GA-4.2-03")
    assert note.documented_information_tier == "recommended"
    assert "climate-related requirements" in note.text
    assert "note" in note.guidance and "good practice" in note.guidance
    assert "climate" in note.clause.guidance


def test_5_1_asks_for_strategic_direction_intended_outcomes_and_other_management_roles():
    text = clause_text(3, "5.1")
    for aspect in ("strategic direction", "intended outcomes", "other relevant managers"):
        assert aspect in text, aspect
    assert "strategic direction" not in clause_text(2, "5.1")


def test_6_1_builds_on_the_issues_of_4_1_and_the_requirements_of_4_2():
    linked = question(3, "GA-6.1-06").text
    assert "issues found under 4.1" in linked and "requirements found under 4.2" in linked


def test_8_5_1_3_weighs_business_benefit_technical_feasibility_and_financial_impact():
    text = question(3, "GA-8.5.1.3-07").text
    for aspect in ("business benefit", "technical feasibility", "financial impact"):
        assert aspect in text
    assert Question.objects.filter(template=library(3), clause__number="8.5.1.3").count() == 7


def test_10_1_looks_for_similar_nonconformities_and_actions_in_proportion_to_the_effects():
    assert "same kind of problem elsewhere" in question(3, "GA-10.1-04").text
    assert "in proportion to the effects" in question(3, "GA-10.1-05").text


@pytest.mark.parametrize("code", NOW_GOOD_PRACTICE)
def test_documented_information_the_standard_does_not_demand_is_good_practice(code):
    before, after = question(2, code), question(3, code)
    assert before.documented_information_tier == "required"
    assert after.documented_information_tier == "recommended"
    assert after.documented_information == before.documented_information != "none"


def test_release_acceptance_criteria_are_a_required_document():
    v2, v3 = question(2, "GA-8.5.3-03"), question(3, "GA-8.5.3-03")
    assert (v2.documented_information, v3.documented_information) == ("record", "document")
    assert v3.documented_information_tier == "required"
    assert "acceptance criteria" in v3.text and "acceptance criteria" in v3.guidance


def test_9_2_05_and_8_5_3_05_follow_the_2018_wording():
    audit = question(3, "GA-9.2-05").text
    assert "undue delay" in question(2, "GA-9.2-05").text  # 2011 wording, gone from v3
    assert "undue delay" not in audit
    assert "put into practice and kept up" in audit
    release = question(3, "GA-8.5.3-05").text
    assert "controlled environment" in question(2, "GA-8.5.3-05").text
    assert "controlled environment" not in release
    assert "does not meet its acceptance criteria" in release and "interested parties" in release
    assert "damaged or left inconsistent" in release


def test_8_3_1_is_explanatory_and_none_of_its_questions_requires_anything():
    clause = TemplateClause.objects.get(template=library(3), number="8.3.1")
    assert clause.informative and clause.is_leaf
    assert "Explanatory" in clause.guidance and "no nonconformity" in clause.guidance
    assert list(TemplateClause.objects.filter(template=library(3), informative=True)) == [clause]
    tiers = set(clause.questions.values_list("documented_information_tier", flat=True))
    assert tiers <= {"", "recommended"}
    assert clause.questions.count() >= 2
    for version in (1, 2):  # the older versions stay as they were
        assert not TemplateClause.objects.filter(template=library(version), informative=True).exists()


def test_v3_tier_counts():
    questions = Question.objects.filter(template=library(3))
    assert questions.filter(documented_information_tier="required").count() == 71
    assert questions.filter(documented_information_tier="recommended").count() == 85
    assert questions.filter(documented_information="none").count() == 30
