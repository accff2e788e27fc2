"""The score rule: conformant 1, partial 0.5, nonconformant 0, not applicable left out."""

import pytest

from gapanalysis import selectors
from gapanalysis.models import Result
from tests.factories import UserFactory, answer, make_assessment, make_project, make_template


def test_score_rule_weights_and_leaves_out_not_applicable_and_unanswered():
    counts = {
        Result.CONFORMANT: 2,
        Result.PARTIAL: 1,
        Result.NONCONFORMANT: 1,
        Result.NOT_APPLICABLE: 5,
        Result.NOT_ASSESSED: 3,
    }
    assert selectors.score(counts) == pytest.approx(2.5 / 4)


def test_nothing_scored_gives_no_score_rather_than_zero():
    assert selectors.score({Result.NOT_APPLICABLE: 3, Result.NOT_ASSESSED: 1}) is None
    assert selectors.score({Result.NONCONFORMANT: 2}) == 0


@pytest.mark.django_db
def test_clause_and_overall_scores_of_an_assessment():
    lead = UserFactory()
    project = make_project(lead=lead)
    template = make_template(slug="scores", clauses=2, questions_per_clause=3)
    assessment = make_assessment(project, user=lead, template=template)
    answer(assessment, "T-1.1-01", Result.CONFORMANT, user=lead)
    answer(assessment, "T-1.1-02", Result.PARTIAL, user=lead)
    answer(assessment, "T-1.1-03", Result.NOT_APPLICABLE, user=lead, notes="Out of our hands.")
    answer(assessment, "T-1.2-01", Result.NONCONFORMANT, user=lead)

    scores = selectors.clause_scores(assessment)
    assert scores["1.1"] == pytest.approx(0.75)
    assert scores["1.2"] == 0
    assert scores["1"] == pytest.approx(1.5 / 3)
    assert selectors.overall_score(assessment) == pytest.approx(1.5 / 3)

    rows = {row.number: row for row in selectors.assessment_overview(assessment)}
    assert (rows["1.1"].answered, rows["1.1"].total) == (3, 3)
    assert (rows["1.2"].answered, rows["1.2"].total) == (1, 3)
    assert (rows["1"].answered, rows["1"].total) == (4, 6)


@pytest.mark.django_db
def test_comparison_shows_the_change_per_clause():
    lead = UserFactory()
    project = make_project(lead=lead)
    template = make_template(slug="compare", clauses=2, questions_per_clause=2)
    baseline = make_assessment(project, user=lead, template=template, title="Baseline")
    follow_up = make_assessment(project, user=lead, template=template, title="Follow-up")
    answer(baseline, "T-1.1-01", Result.NONCONFORMANT, user=lead)
    answer(baseline, "T-1.1-02", Result.PARTIAL, user=lead)
    answer(follow_up, "T-1.1-01", Result.CONFORMANT, user=lead)
    answer(follow_up, "T-1.1-02", Result.CONFORMANT, user=lead)

    comparison = selectors.compare_assessments(baseline, follow_up)
    rows = {row.number: row for row in comparison["rows"]}
    assert (rows["1.1"].before_percent, rows["1.1"].after_percent, rows["1.1"].change) == (25, 100, 75)
    assert rows["1.2"].change is None  # not scored in either
    assert comparison["overall"].change == 75
