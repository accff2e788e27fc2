"""From a synced tool to evidence: tickets a Jira double serves are synced, mapped, frozen and
counted, and the population counts and figures match what the tool created."""

from datetime import date, timedelta

import pytest
import time_machine

from connectors import services as connector_services
from connectors.evidence import services
from connectors.evidence.figures import monthly_figures
from connectors.evidence.models import Population
from connectors.sync import run_sync
from tests.connectors.fake_tools import TYPES, FakeTool
from tests.connectors.fake_tools import ticket as created

pytestmark = [pytest.mark.connectors, pytest.mark.timeout(120)]

CLAUSES = {"Incident": "8.6.1", "Service request": "8.6.2", "Change": "8.5.1", "Problem": "8.6.3"}
COUNT = 40


@time_machine.travel("2026-12-06 10:00Z", tick=False)
def test_population_counts_and_figures_match_what_the_tool_created(world):
    lead = world.user("lead")
    for kind, clause in CLAUSES.items():
        services.rule_create(project=world.project, user=lead, field="ticket_type", value=kind, clause=clause)
    with FakeTool("jira", count=COUNT) as jira:
        connector = connector_services.connector_create(
            project=world.project,
            user=lead,
            kind="jira",
            name="Jira desk",
            base_url=jira.url,
            username="bot@example.com",
            secret="good-token",
            targets={"incident": 5},
        )
        run_sync(connector.pk, trigger="manual")
    services.freeze_closed_months(project=world.project, user=lead)
    tickets = [created(i) for i in range(COUNT)]
    january = date(2026, 1, 1)
    assert {t["created"].date().replace(day=1) for t in tickets} == {january}
    populations = {p.clause: p for p in Population.objects.filter(project=world.project)}
    assert {clause: p.count for clause, p in populations.items()} == {
        CLAUSES[kind]: sum(1 for t in tickets if t["type"] == kind) for kind in TYPES
    }
    assert all(p.month == january for p in populations.values())
    _, figures = monthly_figures(world.project)
    for kind in TYPES:
        mine = [t for t in tickets if t["type"] == kind]
        resolved = [t["resolved"] - t["created"] for t in mine if t["resolved"]]
        month = next(f for f in figures[CLAUSES[kind]] if f.month == january)
        assert (month.volume, month.resolved) == (len(mine), len(resolved))
        assert month.mean_resolution == sum(resolved, timedelta()) / len(resolved)
        assert month.backlog == len(mine) - len(resolved)
    incidents = next(f for f in figures["8.6.1"] if f.month == january)
    # 4 h 50 < 5 h
    assert incidents.sla_total == incidents.resolved and incidents.sla_met == incidents.resolved
