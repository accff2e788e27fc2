"""The overview (scores, chart, rule), the comparison and the Excel export."""

import io

from openpyxl import load_workbook

from gapanalysis.models import Result
from tests.factories import answer, make_assessment


def test_overview_states_the_rule_and_draws_the_chart_as_svg(client, world):
    lead = world.user("lead")
    assessment = make_assessment(world.project, user=lead, clause_numbers=["4"])
    answer(assessment, "GA-4.1-01", Result.CONFORMANT, user=lead)
    answer(assessment, "GA-4.1-02", Result.PARTIAL, user=lead)
    client.force_login(world.user("viewer"))
    page = client.get(f"/projects/{world.project.pk}/gap/{assessment.pk}/").content.decode()
    assert "partially conformant × 0.5" in page
    assert (
        '<svg class="score-chart"' in page
        and "<script" not in page.split('<svg class="score-chart"')[1].split("</svg>")[0]
    )
    assert "4.1 Understanding the organization and its context: 75%" in page  # the sub-clause chart
    assert "4 Context of the organization: 75%" in page
    assert 'data-testid="overall-score">75%' in page


def test_comparison_of_baseline_and_follow_up(client, world):
    lead = world.user("lead")
    baseline = make_assessment(world.project, user=lead, title="Baseline", clause_numbers=["4"])
    follow_up = make_assessment(world.project, user=lead, title="Follow-up", clause_numbers=["4"])
    answer(baseline, "GA-4.1-01", Result.NONCONFORMANT, user=lead)
    answer(follow_up, "GA-4.1-01", Result.CONFORMANT, user=lead)
    client.force_login(world.user("viewer"))
    page = client.get(
        f"/projects/{world.project.pk}/gap/{follow_up.pk}/compare/?with={baseline.pk}"
    ).content.decode()
    row = page.split("4.1 Understanding the organization and its context")[1].split("</tr>")[0]
    assert "0%" in row and "100%" in row and "+100" in row
    assert (
        client.get(f"/projects/{world.project.pk}/gap/{follow_up.pk}/compare/?with=999999").status_code == 404
    )


def test_excel_export_lists_every_answer_and_the_scores(client, world):
    lead = world.user("lead")
    assessment = make_assessment(world.project, user=lead, clause_numbers=["4"])
    answer(assessment, "GA-4.1-01", Result.NONCONFORMANT, user=lead, notes="No context analysis")
    client.force_login(world.user("viewer"))
    reply = client.get(f"/projects/{world.project.pk}/gap/{assessment.pk}/export.xlsx")
    assert reply.status_code == 200 and reply["Content-Disposition"].startswith("attachment")
    book = load_workbook(io.BytesIO(reply.content))
    rows = list(book["Results"].iter_rows(values_only=True))
    assert rows[0][:6] == (
        "Clause",
        "Clause title",
        "Question id",
        "Question",
        "Documented information",
        "Result",
    )
    first = next(r for r in rows if r[2] == "GA-4.1-01")
    assert (first[5], first[6], first[9]) == ("Nonconformant", "No context analysis", "lead")
    assert len(rows) == 1 + assessment.responses.count()
    scores = {r[0]: r for r in book["Scores"].iter_rows(values_only=True)}
    assert scores["4.1"][-1] == 0
