"""Permission cases for the operating evidence drawn from tickets (connectors/evidence): every
member reads; the lead edits the mapping rules and freezes months; the lead and auditors draw
samples, mark the worksheet and raise findings from it."""

from datetime import timedelta

from django.utils import timezone

from connectors.evidence import services
from tests.permissions.matrix import Case, everyone_reads, only
from tests.ticket_evidence.helpers import connector, ticket


def B(w):
    return f"/projects/{w.project.pk}/ticket-evidence/"


def last_month():
    return (timezone.localdate().replace(day=1) - timedelta(days=1)).replace(day=1)


def rule(w):
    return w.obj(
        "rule",
        lambda w: services.rule_create(
            project=w.project, user=w.user("lead"), field="ticket_type", value="incident", clause="8.6.1"
        ),
    )


def second_rule(w):
    rule(w)
    return w.obj(
        "rule2",
        lambda w: services.rule_create(
            project=w.project, user=w.user("lead"), field="queue", value="Changes", clause="8.5.1"
        ),
    )


def conn(w):
    return w.obj("connector", lambda w: connector(w.project))


def population(w):
    def build(w):
        rule(w)
        month = last_month()
        for day in (2, 3, 4):
            opened = timezone.make_aware(timezone.datetime(month.year, month.month, day, 9))
            ticket(conn(w), opened=opened, hours=2)
        return services.population_freeze(project=w.project, clause="8.6.1", month=month, user=w.user("lead"))

    return w.obj("population", build)


def sample(w):
    return w.obj("sample", lambda w: services.sample_draw(population=population(w), user=w.user("auditor")))


def failed_item(w):
    def build(w):
        item = sample(w).items.order_by("order").first()
        return services.item_mark(
            item=item, user=w.user("auditor"), expected_version=1, verdict="nonconforming", note="No record"
        )

    return w.obj("failed", build)


def S(w):
    return f"{B(w)}samples/{sample(w).pk}/"


def item_url(w):
    return f"{S(w)}items/{failed_item(w).pk}/"


def mark_data(w):
    item = failed_item(w)
    prefix = f"i{item.pk}-"
    return {
        prefix + "verdict": "nonconforming",
        prefix + "note": "Still no record",
        prefix + "version": item.version,
    }


def tickets_and_rules(w):
    def build(w):
        rule(w)
        month = last_month()
        ticket(conn(w), opened=timezone.make_aware(timezone.datetime(month.year, month.month, 5, 9)), hours=1)
        return {}

    return w.obj("tickets", build)


CASES = [
    Case("ticket_evidence:overview", lambda w: B(w), everyone_reads()),
    Case(
        "ticket_evidence:freeze",
        lambda w: B(w) + "freeze/",
        only("lead"),
        method="post",
        data=tickets_and_rules,
    ),
    Case("ticket_evidence:rules", lambda w: B(w) + "rules/", everyone_reads()),
    Case(
        "ticket_evidence:rules",
        lambda w: B(w) + "rules/",
        only("lead"),
        method="post",
        data=lambda w: {"field": "queue", "value": "Service Desk", "clause": "8.6.1"},
        label="create",
    ),
    Case("ticket_evidence:rule_edit", lambda w: f"{B(w)}rules/{rule(w).pk}/edit/", only("lead", ok=200)),
    Case(
        "ticket_evidence:rule_edit",
        lambda w: f"{B(w)}rules/{rule(w).pk}/edit/",
        only("lead"),
        method="post",
        data=lambda w: {"field": "queue", "value": "Desk", "clause": "8.6.2", "version": rule(w).version},
    ),
    Case(
        "ticket_evidence:rule_move",
        lambda w: f"{B(w)}rules/{second_rule(w).pk}/move/",
        only("lead"),
        method="post",
        data=lambda w: {"version": second_rule(w).version, "up": "1"},
    ),
    Case("ticket_evidence:rule_delete", lambda w: f"{B(w)}rules/{rule(w).pk}/delete/", only("lead", ok=200)),
    Case(
        "ticket_evidence:rule_delete",
        lambda w: f"{B(w)}rules/{rule(w).pk}/delete/",
        only("lead"),
        method="post",
    ),
    Case("ticket_evidence:population", lambda w: f"{B(w)}populations/{population(w).pk}/", everyone_reads()),
    Case(
        "ticket_evidence:population_export",
        lambda w: f"{B(w)}populations/{population(w).pk}/export.xlsx",
        everyone_reads(),
    ),
    Case(
        "ticket_evidence:population_by_month",
        lambda w: f"{B(w)}populations/8-6-1/{population(w).month:%Y-%m}/",
        everyone_reads(ok=302),
    ),
    Case(
        "ticket_evidence:sample_draw",
        lambda w: f"{B(w)}populations/{population(w).pk}/sample/",
        only("lead", "auditor"),
        method="post",
    ),
    Case("ticket_evidence:sample", lambda w: S(w), everyone_reads()),
    Case("ticket_evidence:sample_evidence", lambda w: S(w) + "evidence/", only("lead", "auditor", ok=200)),
    Case("ticket_evidence:item_mark", lambda w: item_url(w) + "mark/", only("lead", "auditor", ok=200)),
    Case(
        "ticket_evidence:item_mark",
        lambda w: item_url(w) + "mark/",
        only("lead", "auditor"),
        method="post",
        data=mark_data,
    ),
    Case("ticket_evidence:item_finding", lambda w: item_url(w) + "finding/", only("lead", "auditor", ok=200)),
    Case(
        "ticket_evidence:item_finding",
        lambda w: item_url(w) + "finding/",
        only("lead", "auditor"),
        method="post",
        data=lambda w: {"grade": "minor_nc", "clause": "8.6.1"},
    ),
]
