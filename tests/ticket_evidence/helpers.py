"""Tickets as a connector would store them, for the ticket-evidence tests."""

from datetime import datetime, timedelta

from django.utils import timezone

from connectors.evidence import services
from connectors.models import Connector, ConnectorKind, Ticket

_counter = iter(range(1, 10**9))


def connector(project, *, name="Service desk", targets=None):
    return Connector.objects.create(
        project=project,
        kind=ConnectorKind.CSV,
        name=name,
        targets=targets if targets is not None else {"incident": 8},
    )


def when(year, month, day, hour=9):
    return timezone.make_aware(datetime(year, month, day, hour))


def ticket(conn, *, opened, hours=None, ticket_type="Incident", queue="Service Desk", category="", **fields):
    number = next(_counter)
    resolved = opened + timedelta(hours=hours) if hours is not None else None
    return Ticket.objects.create(
        connector=conn,
        project=conn.project,
        external_id=fields.pop("external_id", f"T-{number}"),
        ticket_type=ticket_type,
        queue=queue,
        category=category,
        title=fields.pop("title", f"Ticket {number}"),
        status=fields.pop("status", "resolved" if resolved else "open"),
        opened_at=opened,
        resolved_at=resolved,
        **fields,
    )


def standard_rules(project, lead):
    services.rule_create(project=project, user=lead, field="ticket_type", value="incident", clause="8.6.1")
    services.rule_create(
        project=project, user=lead, field="ticket_type", value="service request", clause="8.6.2"
    )
    services.rule_create(project=project, user=lead, field="ticket_type", value="problem", clause="8.6.3")
    services.rule_create(project=project, user=lead, field="ticket_type", value="change", clause="8.5.1")
