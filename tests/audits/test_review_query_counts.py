"""The review page with its decisions and their tasks, and the programme with a certification cycle,
read a fixed number of queries whatever the number of outputs, tasks and audits."""

import pytest
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from audits.models import AuditProgramme, AuditType, OutputKind
from audits.reviews import review_output_create, review_output_to_task
from tests.factories import make_audit, make_review


@pytest.fixture(autouse=True)
def _full_render():
    """Counted with the cached page parts off: the guard is on the full render, a miss (a hit
    makes fewer queries; tests/core/test_cached_pages.py)."""
    with override_settings(PAGE_CACHE=False):
        yield


pytestmark = pytest.mark.django_db


def _count(client, url):
    client.get(url)  # warm the process-wide caches
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def _add_outputs(review, user, n):
    for index in range(n):
        kind = OutputKind.values[index % 3]
        output = review_output_create(review=review, user=user, kind=kind, text=f"Decision {index}")
        if index % 2:
            review_output_to_task(output=output, user=user)


def test_review_page_queries_do_not_grow_with_outputs_and_tasks(world, client_for):
    lead = world.user("lead")
    review = make_review(world.project, user=lead, attendees=[lead, world.user("viewer")])
    client = client_for("lead")
    _add_outputs(review, lead, 3)
    small = _count(client, review.get_absolute_url())
    _add_outputs(review, lead, 15)
    assert _count(client, review.get_absolute_url()) == small


def test_programme_with_a_cycle_queries_do_not_grow_with_audits(world, client_for):
    lead = world.user("lead")
    today = timezone.localdate()
    AuditProgramme.objects.create(project=world.project, cycle_start=today, certification_decision_date=today)
    url = f"/projects/{world.project.pk}/audits/"
    client = client_for("viewer")
    make_audit(world.project, user=lead, audit_type=AuditType.SURVEILLANCE1, start_in=200)
    small = _count(client, url)
    for index in range(8):
        make_audit(
            world.project, user=lead, audit_type=AuditType.INTERNAL, start_in=index * 10, title=f"A{index}"
        )
    assert _count(client, url) == small
