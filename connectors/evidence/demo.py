"""The demo project's tickets: a CSV-import connector (no network) with three closed months and this
month of incidents, service requests and changes from the service desk's export, the mapping rules,
last month's incidents frozen with their figures, and an auditor's sample in which one ticket
failed and became a finding. Deterministic (a fixed random seed) and bulk-written: a few dozen
queries whatever the number of tickets."""

from __future__ import annotations

import random
from datetime import datetime, time, timedelta

from django.utils import timezone

from audits.models import Grade
from connectors.models import Connector, ConnectorKind, RunStatus, RunTrigger, SyncRun, SyncState, Ticket
from connectors.normalise import TicketData, ticket_fields

from . import services
from .models import Verdict

SEED = 2018
# (type, queue, service, tickets a month, hours to resolve (low, high), subjects)
KINDS = (
    (
        "Incident",
        "Service Desk",
        "Service desk",
        14,
        (1, 12),
        (
            "Outlook does not start",
            "VPN drops every few minutes",
            "Printer on floor 3 jams",
            "Cannot reach the HR portal",
            "Laptop will not dock",
            "Shared drive is read-only",
            "Teams calls without sound",
        ),
    ),
    (
        "Service request",
        "Requests",
        "Service desk",
        9,
        (4, 60),
        (
            "New starter: laptop and accounts",
            "Access to the finance share",
            "Second monitor",
            "Mailbox for the events team",
            "Software install: Visio",
        ),
    ),
    (
        "Change",
        "Change Advisory",
        "Network",
        4,
        (6, 40),
        (
            "Firewall rule for the new CRM",
            "Core switch firmware upgrade",
            "Mail gateway certificate renewal",
            "Wi-Fi controller patch",
        ),
    ),
)
CATEGORIES = ("Hardware", "Software", "Access", "Network")
FAILURE_NOTE = (
    "Resolved without a recorded cause or workaround, and the user was not told: the incident "
    "procedure asks for both."
)


def _months(today, count):
    month = today.replace(day=1)
    starts = [month]
    for _ in range(count):
        month = (month - timedelta(days=1)).replace(day=1)
        starts.append(month)
    return list(reversed(starts))


def _tickets(today, now) -> list[TicketData]:
    rng = random.Random(SEED)
    tz = timezone.get_current_timezone()
    made, number = [], 1000
    for month in _months(today, 3):
        for kind, queue, service, count, (low, high), subjects in KINDS:
            for _ in range(count):
                number += 1
                day = rng.randint(1, 27)
                opened = timezone.make_aware(
                    datetime.combine(month.replace(day=day), time(rng.randint(7, 17))), tz
                )
                if opened >= now:
                    continue
                hours = rng.uniform(low, high) * (3 if rng.random() < 0.12 else 1)  # some run late
                resolved = opened + timedelta(hours=round(hours, 1))
                still_open = resolved >= now or rng.random() < 0.06
                change = kind == "Change"
                made.append(
                    TicketData(
                        external_id=f"SD-{number}",
                        title=rng.choice(subjects),
                        ticket_type=kind,
                        queue=queue,
                        category=rng.choice(CATEGORIES),
                        status="open" if still_open else "closed",
                        priority=rng.choice(("P2", "P3", "P3", "P4")),
                        opened_at=opened,
                        resolved_at=None if still_open else resolved,
                        closed_at=None if still_open else resolved + timedelta(hours=24),
                        source_updated_at=min(now, resolved + timedelta(hours=24)),
                        reopened_count=1 if not change and rng.random() < 0.07 else 0,
                        is_emergency=(rng.random() < 0.25) if change else None,
                        change_succeeded=(rng.random() > 0.15) if change and not still_open else None,
                        service_name=service,
                    )
                )
    return made


def seed_ticket_evidence(project, users) -> None:
    lead, auditor = users["lead"], users["auditor"]
    today, now = timezone.localdate(), timezone.now()
    connector = Connector.objects.create(
        project=project,
        kind=ConnectorKind.CSV,
        name="Service desk export",
        targets={"incident": 8, "service request": 72, "change": 48},
        schedule_enabled=False,
        sync_state=SyncState.SUCCEEDED,
        last_synced_at=now,
    )
    rows = [ticket_fields(data) for data in _tickets(today, now)]
    Ticket.objects.bulk_create(Ticket(connector=connector, project=project, **values) for values in rows)
    Connector.objects.filter(pk=connector.pk).update(sync_done=len(rows))
    SyncRun.objects.create(
        connector=connector,
        status=RunStatus.SUCCEEDED,
        trigger=RunTrigger.UPLOAD,
        started_at=now,
        finished_at=now,
        pages=1,
        fetched=len(rows),
        created=len(rows),
    )
    for field, value, clause in (
        ("ticket_type", "Incident", "8.6.1"),
        ("ticket_type", "Service request", "8.6.2"),
        ("queue", "Change Advisory", "8.5.1"),
    ):
        services.rule_create(project=project, user=lead, field=field, value=value, clause=clause)
    last_month = (today.replace(day=1) - timedelta(days=1)).replace(day=1)
    population = services.population_freeze(project=project, clause="8.6.1", month=last_month, user=lead)
    sample = services.sample_draw(population=population, user=auditor, seed=SEED)
    items = list(sample.items.order_by("order")[:3])
    for item in items[:-1]:
        services.item_mark(
            item=item, user=auditor, expected_version=item.version, verdict=Verdict.CONFORMING, note=""
        )
    failed = services.item_mark(
        item=items[-1],
        user=auditor,
        expected_version=items[-1].version,
        verdict=Verdict.NONCONFORMING,
        note=FAILURE_NOTE,
    )
    services.item_raise_finding(item=failed, user=auditor, grade=Grade.MINOR_NC, clause="8.6.1")
