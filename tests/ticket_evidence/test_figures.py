"""Figures per process and month, computed in SQL in a constant number of queries."""

from datetime import date, timedelta

from django.db import connection
from django.test.utils import CaptureQueriesContext

from connectors.evidence.figures import monthly_figures
from tests.ticket_evidence.helpers import connector, standard_rules, ticket, when

TODAY = date(2026, 12, 6)


def _november(figures):
    return next(f for f in figures if f.month == date(2026, 11, 1))


def test_volume_sla_resolution_times_backlog_and_rates(world):
    standard_rules(world.project, world.user("lead"))
    conn = connector(world.project, targets={"incident": 8, "8.5.1": 24})
    for hours in (1, 2, 3, 4, 5, 6, 7, 8, 9, 10):  # 8 of 10 within 8 hours
        ticket(conn, opened=when(2026, 11, 2), hours=hours, reopened_count=1 if hours == 10 else 0)
    ticket(conn, opened=when(2026, 11, 28))  # still open: backlog at the end of November
    ticket(conn, opened=when(2026, 10, 30), hours=24 * 40)  # October, resolved in December
    ticket(
        conn,
        opened=when(2026, 11, 4),
        ticket_type="Change",
        hours=5,
        change_succeeded=True,
        is_emergency=True,
    )
    ticket(
        conn,
        opened=when(2026, 11, 5),
        ticket_type="Change",
        hours=30,
        change_succeeded=False,
        is_emergency=False,
    )
    columns, figures = monthly_figures(world.project, today=TODAY)
    assert columns[-1] == date(2026, 11, 1) and len(columns) == 12
    incidents = _november(figures["8.6.1"])
    assert incidents.volume == 11 and incidents.resolved == 10
    assert (incidents.sla_met, incidents.sla_total, incidents.sla_percent) == (8, 10, 80.0)
    assert incidents.mean_resolution == timedelta(hours=5.5)
    assert incidents.p90_resolution == timedelta(hours=9.1)  # percentile_cont over 1..10 hours
    assert incidents.backlog == 2  # the open November ticket and October's, resolved in December
    assert incidents.reopen_percent == round(100 / 11, 1)
    october = next(f for f in figures["8.6.1"] if f.month == date(2026, 10, 1))
    assert (october.volume, october.backlog) == (1, 1)
    changes = _november(figures["8.5.1"])
    assert (changes.volume, changes.change_success_percent, changes.emergency_percent) == (2, 50.0, 50.0)
    assert (changes.sla_met, changes.sla_total) == (1, 2)


def test_query_count_does_not_grow_with_tickets_rules_or_connectors(world):
    lead = world.user("lead")
    standard_rules(world.project, lead)
    conn = connector(world.project)
    ticket(conn, opened=when(2026, 11, 2), hours=3)

    def count():
        with CaptureQueriesContext(connection) as queries:
            monthly_figures(world.project, today=TODAY)
        return len(queries)

    small = count()
    other = connector(world.project, name="Changes", targets={"change": 48})
    for day in range(1, 28):
        ticket(conn, opened=when(2026, 10, day), hours=day)
        ticket(other, opened=when(2026, 9, day), ticket_type="Change", hours=day, change_succeeded=True)
    from connectors.evidence import services

    services.rule_create(project=world.project, user=lead, field="queue", value="Releases", clause="8.5.3")
    assert count() == small <= 5
