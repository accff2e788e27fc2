"""The demo's tickets (connectors/evidence/demo.py): a CSV-import connector with months of tickets, the
mapping rules, last month's incidents frozen with their figures, and a sample with one failed ticket
that became a finding — in a bounded number of queries, so the demo build (used by many tests) stays fast."""

import time
from datetime import timedelta

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from audits.models import Finding, FindingSource
from connectors.evidence.demo import seed_ticket_evidence
from connectors.evidence.figures import monthly_figures
from connectors.evidence.models import MappingRule, Population, Verdict
from connectors.models import ConnectorKind, Ticket


def test_the_demo_has_a_frozen_month_with_figures_and_a_failed_sample_as_a_finding(world):
    users = {"lead": world.user("lead"), "auditor": world.user("auditor")}
    started = time.perf_counter()
    with CaptureQueriesContext(connection) as queries:
        seed_ticket_evidence(world.project, users)
    seconds = time.perf_counter() - started
    print(f"\ndemo tickets: {len(queries)} queries, {seconds:.2f} s")
    assert len(queries) <= 160  # 150 measured; bulk-written, so the count does not follow the tickets

    tickets = Ticket.objects.filter(project=world.project)
    assert {t.connector.kind for t in tickets.select_related("connector")} == {ConnectorKind.CSV}
    assert set(tickets.values_list("ticket_type", flat=True)) == {"Incident", "Service request", "Change"}
    assert tickets.count() >= 60 and tickets.filter(reopened_count__gt=0).exists()
    assert tickets.filter(change_succeeded=False).exists() and tickets.filter(resolved_at=None).exists()
    assert MappingRule.objects.filter(project=world.project).count() == 3

    last_month = (timezone.localdate().replace(day=1) - timedelta(days=1)).replace(day=1)
    population = Population.objects.get(project=world.project)
    assert (population.clause, population.month) == ("8.6.1", last_month)
    _, figures = monthly_figures(world.project, months=1)
    assert figures["8.6.1"][0].volume == population.count > 0 and figures["8.6.1"][0].sla_total > 0

    items = population.sample.items.all()
    failed = items.get(verdict=Verdict.NONCONFORMING)
    assert items.filter(verdict=Verdict.CONFORMING).count() == 2
    finding = Finding.objects.get(project=world.project)
    assert failed.finding == finding and finding.source == FindingSource.SAMPLE
