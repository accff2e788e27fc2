"""The coverage line, the not-applicable list and the finalise check add no per-row queries: the
overview, a clause page, the list, the finalise page and the dashboard make the same number of
queries for a small and a large assessment."""

import pytest
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext

from gapanalysis.models import Response, Result
from tests.factories import make_assessment, make_template

RESULTS = (
    Result.CONFORMANT,
    Result.PARTIAL,
    Result.NONCONFORMANT,
    Result.NOT_APPLICABLE,
    Result.NOT_ASSESSED,
)


@pytest.fixture(autouse=True)
def _full_render():
    """Counted with the cached page parts off: the guard is on the full render, a miss (a hit
    makes fewer queries; tests/core/test_cached_pages.py)."""
    with override_settings(PAGE_CACHE=False):
        yield


def build(world, *, clauses, questions):
    template = make_template(
        slug=f"cov-{clauses}-{questions}", clauses=clauses, questions_per_clause=questions
    )
    assessment = make_assessment(
        world.project, user=world.user("lead"), template=template, title=f"Size {clauses}"
    )
    for index, pk in enumerate(
        Response.objects.filter(assessment=assessment).order_by("pk").values_list("pk", flat=True)
    ):
        result = RESULTS[index % len(RESULTS)]
        # every other N/A answer has no reason (as data saved before reasons were required)
        notes = "Why not." if result != Result.NOT_APPLICABLE or index % 2 else ""
        Response.objects.filter(pk=pk).update(result=result, notes=notes)
    return assessment


def count(client, url):
    client.get(url)  # warm the template-tree cache, as on a running site
    with CaptureQueriesContext(connection) as queries:
        page = client.get(url)
    assert page.status_code == 200
    return len(queries), page.content.decode()


PAGES = {
    "overview": "{base}/gap/{pk}/",
    "clause": "{base}/gap/{pk}/clauses/1.1/",
    "finalise": "{base}/gap/{pk}/finalise/",
}


@pytest.mark.parametrize("which", PAGES)
def test_gap_pages_make_the_same_queries_at_two_sizes(client, world, which):
    small = build(world, clauses=2, questions=5)
    large = build(world, clauses=30, questions=20)
    client.force_login(world.user("lead"))
    base = f"/projects/{world.project.pk}"
    small_count, small_body = count(client, PAGES[which].format(base=base, pk=small.pk))
    large_count, large_body = count(client, PAGES[which].format(base=base, pk=large.pk))
    assert small_count == large_count
    if which == "overview":
        assert "marked not applicable" in small_body and "marked not applicable" in large_body
        assert large_body.count("No reason given") == 60  # 600 questions: 120 N/A, half unexplained
    if which == "finalise":
        assert "without a reason" in large_body


def test_list_and_dashboard_make_the_same_queries_at_two_sizes(client, world):
    client.force_login(world.user("viewer"))
    base = f"/projects/{world.project.pk}"
    build(world, clauses=2, questions=5)
    small = [count(client, f"{base}/gap/")[0], count(client, f"{base}/")[0]]
    build(world, clauses=30, questions=20)
    large_list, list_body = count(client, f"{base}/gap/")
    large_dashboard, dashboard = count(client, f"{base}/")
    assert [large_list, large_dashboard] == small
    assert "score " in dashboard.split('data-testid="gap-card"')[1]
