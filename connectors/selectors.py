"""Reads on connectors, scoped to one project (the views fetch the project through the access helper)."""

from django.db.models import Count
from django.shortcuts import get_object_or_404

from .models import Connector, SyncRun, Ticket


def connector_list(*, project):
    return (
        Connector.objects.filter(project=project)
        .annotate(ticket_count=Count("tickets"))
        .order_by("name", "id")
    )


def connector_get(*, project, connector_id: int) -> Connector:
    return get_object_or_404(Connector, pk=connector_id, project=project)


def connector_runs(*, connector):
    return SyncRun.objects.filter(connector=connector).order_by("-started_at", "-id")


def connector_tickets(*, connector):
    return Ticket.objects.filter(connector=connector).defer("raw").order_by("-source_updated_at", "-id")
