"""8.3.1 only explains (TemplateClause.informative): an answer there can be conformant or not applicable,
never partial or nonconformant, and it is left out of every score; the page says so and offers
neither result. Older checklist versions, where 8.3.1 is an ordinary clause, keep their behaviour."""

import pytest
from django.core.exceptions import ValidationError

from gapanalysis import selectors
from gapanalysis.models import ChecklistTemplate, Response, Result
from gapanalysis.selectors import NOT_SCORED
from tests.factories import answer, make_assessment

pytestmark = pytest.mark.django_db
HTMX = {"HTTP_HX_REQUEST": "true"}


def library(version):
    return ChecklistTemplate.objects.library().get(slug="iso20000-1-2018", version=version)


@pytest.fixture
def assessment(world):
    """The default (v3) checklist scoped to 8.3: 2 questions on 8.3.1, 22 on 8.3.2–8.3.4.2."""
    return make_assessment(world.project, user=world.user("lead"), clause_numbers=["8.3"])


@pytest.mark.parametrize("result", [Result.PARTIAL, Result.NONCONFORMANT])
def test_a_gap_answer_on_the_explanatory_clause_is_refused(world, assessment, result):
    with pytest.raises(ValidationError) as refused:
        answer(assessment, "GA-8.3.1-01", result, user=world.user("lead"))
    assert "8.3.1 is explanatory" in " ".join(refused.value.messages)
    saved = Response.objects.get(assessment=assessment, question__code="GA-8.3.1-01")
    assert (saved.result, saved.version) == (Result.NOT_ASSESSED, 1)


def test_conformant_and_not_applicable_are_accepted_there(world, assessment):
    lead = world.user("lead")
    assert answer(assessment, "GA-8.3.1-01", Result.CONFORMANT, user=lead).result == Result.CONFORMANT
    kept = answer(assessment, "GA-8.3.1-02", Result.NOT_APPLICABLE, user=lead, notes="One customer only.")
    assert kept.result == Result.NOT_APPLICABLE


def test_saving_a_gap_there_through_the_page_answers_422_and_saves_nothing(client, world, assessment):
    response = Response.objects.get(assessment=assessment, question__code="GA-8.3.1-01")
    client.force_login(world.user("lead"))
    url = f"/projects/{world.project.pk}/gap/{assessment.pk}/responses/{response.pk}/"
    reply = client.post(url, {"result": "nonconformant", "notes": "No overview", "version": 1}, **HTMX)
    assert reply.status_code == 422
    assert "8.3.1 is explanatory" in reply.content.decode()
    response.refresh_from_db()
    assert (response.result, response.notes, response.version) == (Result.NOT_ASSESSED, "", 1)


def test_the_clause_page_says_it_is_explanatory_and_offers_no_gap_results(client, world, assessment):
    client.force_login(world.user("lead"))
    base = f"/projects/{world.project.pk}/gap/{assessment.pk}/clauses"
    page = client.get(f"{base}/8.3.1/").content.decode()
    assert 'data-testid="explanatory-clause"' in page
    assert 'value="conformant"' in page and 'value="not_applicable"' in page
    assert 'value="partial"' not in page and 'value="nonconformant"' not in page
    ordinary = client.get(f"{base}/8.3.2/").content.decode()
    assert 'data-testid="explanatory-clause"' not in ordinary
    assert 'value="partial"' in ordinary and 'value="nonconformant"' in ordinary


def test_answers_on_the_explanatory_clause_are_left_out_of_every_score(client, world, assessment):
    lead = world.user("lead")
    answer(assessment, "GA-8.3.1-01", Result.CONFORMANT, user=lead)
    answer(assessment, "GA-8.3.1-02", Result.CONFORMANT, user=lead)
    answer(assessment, "GA-8.3.2-01", Result.NONCONFORMANT, user=lead)
    answer(assessment, "GA-8.3.2-02", Result.CONFORMANT, user=lead)

    rows = {row.number: row for row in selectors.assessment_overview(assessment)}
    explained = rows["8.3.1"]
    assert (explained.answered, explained.scored, explained.score) == (2, 0, None)
    assert explained.counts == {NOT_SCORED: 2}
    assert (rows["8.3"].answered, rows["8.3"].scored, rows["8.3"].score) == (4, 2, 0.5)
    overall = selectors.summary_from_rows(list(rows.values()))
    assert overall.score == 0.5
    assert selectors.overall_counts(assessment)[NOT_SCORED] == 2
    assert selectors.overall_score(assessment) == 0.5
    listed = selectors.gap_assessment_list(project=world.project).get(pk=assessment.pk)
    counts = selectors.counts_of(listed)
    assert (counts[Result.CONFORMANT], listed.n_not_scored, selectors.score(counts)) == (1, 2, 0.5)

    client.force_login(world.user("viewer"))
    overview = client.get(f"/projects/{world.project.pk}/gap/{assessment.pk}/").content.decode()
    assert 'data-testid="overall-score">50%' in overview
    assert "explanatory, not scored" in overview


def test_in_a_v2_assessment_8_3_1_stays_an_ordinary_clause(world):
    older = make_assessment(
        world.project, user=world.user("lead"), template=library(2), clause_numbers=["8.3"]
    )
    saved = answer(older, "GA-8.3.1-01", Result.PARTIAL, user=world.user("lead"))
    assert saved.result == Result.PARTIAL
    rows = {row.number: row for row in selectors.assessment_overview(older)}
    assert rows["8.3.1"].score == 0.5
