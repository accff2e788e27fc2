"""The dashboard (with the heat map), the readiness page and the operation pages read a constant
number of queries whatever the amount of evidence."""

import pytest
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext

from tests.factories import add_evidence, add_evidence_everywhere, hold_audit, make_audit, make_finding


@pytest.fixture(autouse=True)
def _full_render():
    """Counted with the cached page parts off: the guard is on the full render, a miss (a hit
    makes fewer queries; tests/core/test_cached_pages.py)."""
    with override_settings(PAGE_CACHE=False):
        yield


def count(client, path):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    assert response.status_code == 200
    return len(queries)


PAGES = ("", "audits/readiness/", "documents/operation/", "documents/operation/8-6-1/", "documents/")


def test_pages_read_the_same_number_of_queries_at_two_data_sizes(world, client_for):
    project, lead = world.project, world.user("lead")
    client = client_for("lead")
    base = f"/projects/{project.pk}/"
    add_evidence(project, "8.6.1", months=1, user=lead)
    audit = hold_audit(make_audit(project, user=lead, scope=["9.2"]), user=lead)
    make_finding(audit, user=lead)
    for page in PAGES:
        count(client, base + page)  # warm caches (fragments, content types)
    small = {page: count(client, base + page) for page in PAGES}

    add_evidence_everywhere(project, months=14, user=lead)
    add_evidence(project, "8.6.1", months=6, per_month=5, user=lead)
    for _ in range(3):
        make_finding(hold_audit(make_audit(project, user=lead, scope=["8.1"]), user=lead), user=lead)
    for page in PAGES:
        count(client, base + page)
    large = {page: count(client, base + page) for page in PAGES}
    assert large == small
