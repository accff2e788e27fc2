"""Sample sizes by the documented rule; a reproducible draw with the seed recorded."""

from datetime import date

import pytest

from connectors.evidence import sampling, services
from tests.ticket_evidence.helpers import connector, standard_rules, ticket, when


@pytest.mark.parametrize(
    ("population", "size"), [(0, 0), (1, 1), (5, 5), (10, 8), (30, 15), (100, 23), (1000, 29), (100000, 29)]
)
def test_sample_size_follows_the_attribute_sampling_rule(population, size):
    assert sampling.large_population_size() == 29
    assert sampling.sample_size(population) == size


def test_the_same_seed_draws_the_same_tickets():
    keys = list(range(500))
    assert sampling.draw(keys, seed=42, size=29) == sampling.draw(keys, seed=42, size=29)
    assert sampling.draw(keys, seed=42, size=29) != sampling.draw(keys, seed=43, size=29)


def test_drawing_a_population_records_the_seed_and_drawing_again_returns_it(world):
    standard_rules(world.project, world.user("lead"))
    conn = connector(world.project)
    for day in range(1, 31):
        ticket(conn, opened=when(2026, 11, day), hours=2)
    population = services.population_freeze(
        project=world.project,
        clause="8.6.1",
        month=date(2026, 11, 1),
        user=world.user("lead"),
        today=date(2026, 12, 6),
    )
    auditor = world.user("auditor")
    sample = services.sample_draw(population=population, user=auditor)
    assert sample.size == sampling.sample_size(30) == 15 and sample.items.count() == 15
    keys = list(population.tickets.order_by("connector_id", "external_id").values_list("pk", flat=True))
    expected = sampling.draw(keys, seed=sample.seed, size=15)
    assert list(sample.items.order_by("order").values_list("ticket_id", flat=True)) == expected
    assert services.sample_draw(population=population, user=auditor).pk == sample.pk
