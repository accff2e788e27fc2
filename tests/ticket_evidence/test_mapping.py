"""Rules map tickets to processes in order, first match wins, in SQL as in Python."""

from connectors.evidence import services
from connectors.evidence.mapping import annotate_process, first_match, project_rules
from connectors.models import Ticket
from tests.ticket_evidence.helpers import connector, ticket, when


def test_first_matching_rule_wins_in_sql_and_in_python(world):
    project, lead = world.project, world.user("lead")
    services.rule_create(project=project, user=lead, field="queue", value="Major incidents", clause="8.6.3")
    services.rule_create(project=project, user=lead, field="ticket_type", value="INCIDENT", clause="8.6.1")
    services.rule_create(project=project, user=lead, field="category", value="access", clause="8.6.2")
    conn = connector(project)
    a = ticket(conn, opened=when(2026, 10, 1), queue="major incidents", ticket_type="Incident")
    b = ticket(conn, opened=when(2026, 10, 1), queue="Desk", ticket_type="incident", category="access")
    c = ticket(conn, opened=when(2026, 10, 1), queue="Desk", ticket_type="Question", category="Access")
    d = ticket(conn, opened=when(2026, 10, 1), queue="Desk", ticket_type="Question", category="hardware")
    rules = project_rules(project)
    mapped = dict(
        annotate_process(Ticket.objects.filter(project=project), rules).values_list("pk", "process")
    )
    assert mapped == {a.pk: "8.6.3", b.pk: "8.6.1", c.pk: "8.6.2", d.pk: ""}
    for t in (a, b, c, d):
        assert (
            first_match(rules, queue=t.queue, ticket_type=t.ticket_type, category=t.category) == mapped[t.pk]
        )


def test_moving_a_rule_up_changes_which_process_wins(world):
    project, lead = world.project, world.user("lead")
    services.rule_create(project=project, user=lead, field="ticket_type", value="incident", clause="8.6.1")
    second = services.rule_create(project=project, user=lead, field="queue", value="problems", clause="8.6.3")
    conn = connector(project)
    t = ticket(conn, opened=when(2026, 10, 1), queue="Problems", ticket_type="Incident")
    services.rule_move(rule=second, user=lead, expected_version=second.version, up=True)
    rules = project_rules(project)
    assert [r.clause for r in rules] == ["8.6.3", "8.6.1"]
    assert annotate_process(Ticket.objects.filter(pk=t.pk), rules).get().process == "8.6.3"
