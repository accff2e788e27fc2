"""The ticket-evidence pages, the process page with its panel and the dashboard read a constant
number of queries whatever the number of tickets, rules, frozen months and sampled tickets."""

from datetime import date

import pytest
import time_machine
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext

from connectors.evidence import services
from tests.ticket_evidence.helpers import connector, standard_rules, ticket, when

BOUNDS = {"overview": 14, "rules": 8, "population": 14, "sample": 14, "process": 22, "dashboard": 40}
TODAY = date(2026, 12, 6)


@pytest.fixture(autouse=True)
def _full_render():
    with override_settings(PAGE_CACHE=False), time_machine.travel("2026-12-06 10:00Z", tick=False):
        yield


def grow(world, conn, size):
    lead = world.user("lead")
    for index in range(size):
        month = 11 - index % 6
        ticket(conn, opened=when(2026, month, 1 + index % 27), hours=index % 30 + 1, reopened_count=index % 2)
        ticket(
            conn, opened=when(2026, month, 2), ticket_type="Change", hours=3, change_succeeded=index % 3 > 0
        )
    services.rule_create(project=world.project, user=lead, field="queue", value=f"Q{size}", clause="8.6.2")
    services.freeze_closed_months(project=world.project, user=lead, today=TODAY)
    for population in world.project.ticket_populations.all():
        sample = services.sample_draw(population=population, user=world.user("auditor"))
        for item in sample.items.all()[: size // 2]:
            services.item_mark(
                item=item, user=lead, expected_version=item.version, verdict="conforming", note="ok"
            )


def measure(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(queries)


def urls(world):
    base = f"/projects/{world.project.pk}/"
    population = world.project.ticket_populations.get(clause="8.6.1", month=date(2026, 11, 1))
    return {
        "overview": base + "ticket-evidence/",
        "rules": base + "ticket-evidence/rules/",
        "population": population.get_absolute_url(),
        "sample": population.sample.get_absolute_url(),
        "process": base + "documents/operation/8-6-1/",
        "dashboard": base,
    }


def test_pages_read_the_same_number_of_queries_at_two_data_sizes(
    world, client_for, django_assert_max_num_queries
):
    standard_rules(world.project, world.user("lead"))
    conn = connector(world.project)
    grow(world, conn, 3)
    client = client_for("auditor")
    pages = urls(world)
    for url in pages.values():
        client.get(url)  # warm the process-wide caches
    small = {name: measure(client, url) for name, url in pages.items()}
    grow(world, connector(world.project, name="Second desk"), 40)
    large = {name: measure(client, url) for name, url in urls(world).items()}
    assert large == small
    for name, url in urls(world).items():
        with django_assert_max_num_queries(BOUNDS[name]):
            client.get(url)
