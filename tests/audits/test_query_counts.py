"""The programme with its coverage matrix, the audit page and the readiness gate read a fixed number
of queries whatever the number of audits, findings, actions and tasks."""

import pytest
from django.db import connection
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext

from audits import services
from audits.clauses import leaf_clauses
from projects.models import Phase
from tests.factories import (
    hold_audit,
    iso_template,
    make_action,
    make_audit,
    make_finding,
    make_review,
    make_task,
)


@pytest.fixture(scope="module", autouse=True)
def _full_render():
    """Counted with the cached page parts off: the guard is on the full render, a miss (a hit
    makes fewer queries; tests/core/test_cached_pages.py)."""
    with override_settings(PAGE_CACHE=False):
        yield


# readiness: +3 since records and processes are judged by their evidence (documents.records); +2
# since clauses are covered by answered checklist questions and majors left unverified are warned of
# readiness: 25 before the registers' five readiness rules joined the gate
BOUNDS = {"programme": 8, "audit": 18, "readiness": 30, "findings": 8, "improvements": 8, "reviews": 8}


def build(world, size, target=None):
    lead, auditor, contributor = world.user("lead"), world.user("auditor"), world.user("contributor")
    Phase.objects.filter(project=world.project, key__in=("5", "6")).update(owner=auditor)
    audits = []
    iso_template()
    clauses = [c.number for c in leaf_clauses()]
    for index in range(size):
        scope = clauses[index % len(clauses) : index % len(clauses) + 6]
        audit = make_audit(world.project, user=lead, lead_auditor=auditor, team=[auditor, lead], scope=scope)
        if index % 2:
            hold_audit(audit, user=lead)
        audits.append(audit)
        make_task(world.project, phase=world.project.phases.get(key="6"), assignee=auditor, title=f"T{index}")
    target = target or audits[0]
    for index in range(size):
        finding = make_finding(target, user=lead, owner=contributor, clause=target.scope_clauses[0])
        if index % 3 == 0:
            make_action(finding, user=contributor, owner=contributor)
        services.improvement_create(
            project=world.project, user=lead, title=f"Idea {index}", owner=contributor
        )
    target.team.add(*[world.user(r) for r in ("lead", "auditor")])
    make_review(world.project, user=lead, attendees=[lead])
    return target


def measure(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


PAGES = {
    "programme": lambda base, audit: base,
    "audit": lambda base, audit: f"{base}{audit.pk}/",
    "readiness": lambda base, audit: f"{base}readiness/",
    "findings": lambda base, audit: f"{base}findings/?show=all",
    "improvements": lambda base, audit: f"{base}improvements/",
    "reviews": lambda base, audit: f"{base}reviews/",
}


@pytest.fixture(scope="module")
def small_counts(module_world, django_db_blocker):
    """The data built once for the six pages (in the module's transaction): each page's query count
    with the small data set, then ten times the audits, findings, actions and tasks."""
    with django_db_blocker.unblock():
        target = build(module_world, 2)
        client = Client()
        client.force_login(module_world.user("viewer"))
        urls = {name: page(base_url(module_world), target) for name, page in PAGES.items()}
        for url in urls.values():  # warm the process-wide caches before counting
            client.get(url)
        counts = {name: measure(client, url) for name, url in urls.items()}
        build(module_world, 20, target=target)
    return urls, counts


def base_url(world):
    return f"/projects/{world.project.pk}/audits/"


@pytest.mark.parametrize("page_name", PAGES)
def test_page_query_count_does_not_grow_with_the_data(
    small_counts, module_world, db, client, page_name, django_assert_max_num_queries
):
    urls, counts = small_counts
    client.force_login(module_world.user("viewer"))
    small, large = counts[page_name], measure(client, urls[page_name])
    assert large == small, f"{page_name}: {small} queries with the small data set, {large} with the large one"
    with django_assert_max_num_queries(BOUNDS[page_name]):
        client.get(urls[page_name])
