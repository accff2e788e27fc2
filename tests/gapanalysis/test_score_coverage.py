"""A gap score never stands alone: every page that shows it says how many answers it rests on and how
many questions are not yet assessed, with the not-applicable answers counted separately."""

import pytest

from gapanalysis.models import ChecklistTemplate, Response, Result
from tests.factories import make_assessment

COVERAGE = "score 90% of 54 answered questions, 110 not yet assessed"


@pytest.fixture
def assessment(world):
    """The shipped v1 checklist (164 questions): 48 conformant, 1 partial, 5 nonconformant."""
    v1 = ChecklistTemplate.objects.library().get(slug="iso20000-1-2018", version=1)
    assessment = make_assessment(world.project, user=world.user("lead"), template=v1)
    ids = list(
        Response.objects.filter(assessment=assessment)
        .order_by("question__order")
        .values_list("pk", flat=True)
    )
    Response.objects.filter(pk__in=ids[:48]).update(result=Result.CONFORMANT)
    Response.objects.filter(pk__in=ids[48:49]).update(result=Result.PARTIAL)
    Response.objects.filter(pk__in=ids[49:54]).update(result=Result.NONCONFORMANT)
    return assessment


def test_overview_shows_the_coverage_next_to_the_score(client, world, assessment):
    client.force_login(world.user("viewer"))
    body = client.get(f"/projects/{world.project.pk}/gap/{assessment.pk}/").content.decode()
    assert 'data-testid="overall-score">90%' in body
    assert COVERAGE in body
    assert "marked not applicable" not in body


def test_not_applicable_answers_are_counted_separately(client, world, assessment):
    ids = Response.objects.filter(assessment=assessment, result=Result.NOT_ASSESSED).values_list(
        "pk", flat=True
    )
    Response.objects.filter(pk__in=list(ids[:3])).update(result=Result.NOT_APPLICABLE, notes="Reason.")
    client.force_login(world.user("viewer"))
    body = client.get(f"/projects/{world.project.pk}/gap/{assessment.pk}/").content.decode()
    assert "score 90% of 54 answered questions, 107 not yet assessed · 3 marked not applicable" in body


def test_clause_page_list_and_dashboard_show_the_coverage(client, world, assessment):
    client.force_login(world.user("viewer"))
    base = f"/projects/{world.project.pk}"
    clause_page = client.get(f"{base}/gap/{assessment.pk}/clauses/4.1/").content.decode()
    assert COVERAGE in clause_page
    # this clause's own coverage: 4.1 has 3 questions, all answered conformant
    assert "score 100% of 3 answered questions, 0 not yet assessed" in clause_page
    assert "90% of 54 answered, 110 not assessed" in client.get(f"{base}/gap/").content.decode()
    dashboard = client.get(f"{base}/").content.decode()
    card = dashboard.split('data-testid="gap-card"')[1]
    assert COVERAGE in card


def test_an_unscored_assessment_says_so(client, world):
    assessment = make_assessment(world.project, user=world.user("lead"), clause_numbers=["4"])
    client.force_login(world.user("viewer"))
    body = client.get(f"/projects/{world.project.pk}/gap/{assessment.pk}/").content.decode()
    total = Response.objects.filter(assessment=assessment).count()
    assert f"no score yet: 0 answered questions, {total} not yet assessed" in body


def test_excel_export_carries_the_coverage_and_the_tiers(client, world, assessment):
    import io

    from openpyxl import load_workbook

    client.force_login(world.user("viewer"))
    reply = client.get(f"/projects/{world.project.pk}/gap/{assessment.pk}/export.xlsx")
    book = load_workbook(io.BytesIO(reply.content), read_only=True)
    scores = [cell for row in book["Scores"].iter_rows(values_only=True) for cell in row if cell]
    assert COVERAGE in scores
    tiers = {row[2]: row[4] for row in book["Results"].iter_rows(min_row=2, values_only=True)}
    assert tiers["GA-4.3-01"] == "Document (required by the standard)"
    assert tiers["GA-4.1-01"] == "Document (good practice)"
