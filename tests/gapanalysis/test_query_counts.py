"""The filling page of the largest clause and the assessment overview stay at a constant number of
queries (at most 12) whatever the size of the checklist and its answers."""

import pytest
from django.test import override_settings

from gapanalysis import services
from gapanalysis.models import Response, Result
from tests.conftest import held_transaction
from tests.factories import make_assessment, make_template


@pytest.fixture(scope="module", autouse=True)
def _full_render():
    """Counted with the cached page parts off: the guard is on the full render, a miss (a hit
    makes fewer queries; tests/core/test_cached_pages.py)."""
    with override_settings(PAGE_CACHE=False):
        yield


BOUND = 12


def build(world, *, clauses, questions):
    lead = world.user("lead")
    template = make_template(
        slug=f"size-{clauses}-{questions}", clauses=clauses, questions_per_clause=questions
    )
    assessment = make_assessment(
        world.project, user=lead, template=template, auditors=[world.user("auditor")]
    )
    services.assessment_assign_auditors(
        assessment=assessment, assignments={world.user("auditor").pk: ["1.1"]}, user=lead
    )
    for index, response in enumerate(
        Response.objects.filter(assessment=assessment).select_related("assessment", "question__clause")
    ):
        result = (Result.CONFORMANT, Result.PARTIAL, Result.NONCONFORMANT, Result.NOT_APPLICABLE)[index % 4]
        response = services.response_save(
            response=response, user=lead, expected_version=1, result=result, notes="n"
        )
        if response.question.clause.number == "1.1":
            services.evidence_add(response=response, user=lead, url=f"https://example.test/{index}")
            services.evidence_add(response=response, user=lead, url=f"https://example.test/{index}/b")
            if response.is_gap:
                services.remediation_task_create(response=response, user=lead)
    return assessment


SIZES = [(2, 3), (40, 30)]


@pytest.fixture(scope="module")
def sized(request, module_world, django_db_blocker):
    """An assessment of one size, built once for the tests that read it (in a savepoint of the
    module's world, rolled back when the next size is built)."""
    clauses, questions = request.param
    with held_transaction(django_db_blocker):
        with django_db_blocker.unblock():
            assessment = build(module_world, clauses=clauses, questions=questions)
        yield module_world, assessment, clauses, questions


@pytest.mark.parametrize("sized", SIZES, ids=[f"{c}-{q}" for c, q in SIZES], indirect=True)
@pytest.mark.parametrize("role", ["auditor", "viewer", "lead"])
def test_clause_page_of_the_largest_clause_is_constant(
    sized, db, client, role, django_assert_max_num_queries
):
    world, assessment, _, questions = sized
    client.force_login(world.user(role))
    with django_assert_max_num_queries(BOUND):
        page = client.get(f"/projects/{world.project.pk}/gap/{assessment.pk}/clauses/1.1/")
    assert page.status_code == 200
    assert page.content.decode().count('class="card mb-3 question-card"') == questions


@pytest.mark.parametrize("sized", SIZES, ids=[f"{c}-{q}" for c, q in SIZES], indirect=True)
def test_overview_with_all_clause_scores_is_constant(sized, db, client, django_assert_max_num_queries):
    world, assessment, clauses, _ = sized
    client.force_login(world.user("viewer"))
    with django_assert_max_num_queries(BOUND):
        page = client.get(f"/projects/{world.project.pk}/gap/{assessment.pk}/")
    assert page.status_code == 200
    assert page.content.decode().count("/clauses/1.") >= clauses


@pytest.mark.parametrize("count", [1, 12])
def test_assessment_list_is_constant(client, world, count, django_assert_max_num_queries):
    template = make_template(slug="list", clauses=2, questions_per_clause=2)
    for n in range(count):
        make_assessment(world.project, user=world.user("lead"), template=template, title=f"Run {n}")
    client.force_login(world.user("viewer"))
    with django_assert_max_num_queries(BOUND):
        page = client.get(f"/projects/{world.project.pk}/gap/")
    assert page.status_code == 200
    assert page.content.decode().count("Run ") == count


@pytest.mark.parametrize("count", [1, 12])
def test_dashboard_card_adds_a_constant_number_of_queries(
    client, world, count, django_assert_max_num_queries
):
    build(world, clauses=count, questions=3)
    client.force_login(world.user("viewer"))
    with django_assert_max_num_queries(20):
        page = client.get(f"/projects/{world.project.pk}/")
    assert 'data-testid="gap-card"' in page.content.decode()
