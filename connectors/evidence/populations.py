"""Frozen monthly populations: the tickets one process opened in one closed month, their key
fields, count and SHA-256 checksum, kept as an operating-evidence entry that never changes.

Freezing twice makes one population (the unique constraint and a lock on the project); a later sync
that disagrees is shown by `differences`, never applied."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta

from django.utils import timezone

from connectors.models import Ticket
from connectors.normalise import cut

from .mapping import annotate_process

KEY_FIELDS = (
    "ticket_type",
    "queue",
    "category",
    "title",
    "status",
    "priority",
    "opened_at",
    "resolved_at",
    "closed_at",
    "reopened_count",
    "is_emergency",
    "change_succeeded",
)
FIELD_LABELS = {
    "ticket_type": "type",
    "opened_at": "opened",
    "resolved_at": "resolved",
    "closed_at": "closed",
    "reopened_count": "reopened",
    "is_emergency": "emergency",
    "change_succeeded": "change succeeded",
}
TEXT_LIMITS = {
    "ticket_type": 100,
    "queue": 200,
    "category": 200,
    "title": 500,
    "status": 100,
    "priority": 100,
}


def month_bounds(month: date) -> tuple[datetime, datetime]:
    """The month as [first instant, first instant of the next month) in the project's time zone."""
    tz = timezone.get_current_timezone()
    start = timezone.make_aware(datetime.combine(month, time.min), tz)
    following = (month.replace(day=28) + timedelta(days=4)).replace(day=1)
    return start, timezone.make_aware(datetime.combine(following, time.min), tz)


def month_end(month: date) -> date:
    return (month.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)


def is_closed(month: date, today: date | None = None) -> bool:
    today = today or timezone.localdate()
    return month_end(month) < today


def month_tickets(project, clause: str, month: date, rules):
    """The project's tickets mapped to `clause` and opened in `month`, as value rows in a fixed order."""
    start, end = month_bounds(month)
    tickets = Ticket.objects.filter(project=project, opened_at__gte=start, opened_at__lt=end)
    return (
        annotate_process(tickets, rules)
        .filter(process=clause)
        .order_by("connector_id", "external_id")
        .values("connector_id", "external_id", "service_name", *KEY_FIELDS)
    )


def frozen_values(row: dict) -> dict:
    """A ticket's key fields as frozen: text cut to its field (with the mark), nothing else changed."""
    values = {"connector_id": row["connector_id"], "external_id": cut(row["external_id"], 200)[0]}
    if "service_name" in row:  # kept for the catalogue's SLA figure; not a key field of the checksum
        values["service_name"] = cut(row["service_name"], 200)[0]
    for name in KEY_FIELDS:
        value = row[name]
        if name in TEXT_LIMITS:
            value = cut(value, TEXT_LIMITS[name])[0]
        values[name] = value
    return values


def _canonical(value):
    if isinstance(value, datetime):
        return value.astimezone(UTC).isoformat()
    return value


def checksum(rows: list[dict]) -> str:
    """SHA-256 of the rows (connector, external id and key fields) as canonical JSON, in key order."""
    digest = hashlib.sha256()
    for row in sorted(rows, key=lambda r: (r["connector_id"], r["external_id"])):
        record = {name: _canonical(row[name]) for name in ("connector_id", "external_id", *KEY_FIELDS)}
        digest.update(json.dumps(record, sort_keys=True, ensure_ascii=False).encode())
        digest.update(b"\n")
    return digest.hexdigest()


@dataclass
class Differences:
    """What the tickets say now against what was frozen (shown, never applied)."""

    added: list[dict] = field(default_factory=list)  # in the month now, not frozen
    removed: list[dict] = field(default_factory=list)  # frozen, no longer in the month
    changed: list[tuple[dict, list[str]]] = field(default_factory=list)  # (frozen row, fields)

    @property
    def any(self) -> bool:
        return bool(self.added or self.removed or self.changed)

    @property
    def count(self) -> int:
        return len(self.added) + len(self.removed) + len(self.changed)


def differences(frozen: list[dict], current: list[dict]) -> Differences:
    def key(row):
        return (row["connector_id"], row["external_id"])

    now = {key(r): frozen_values(r) for r in current}
    then = {key(r): r for r in frozen}
    result = Differences()
    for k in sorted(now.keys() - then.keys()):
        result.added.append(now[k])
    for k in sorted(then.keys() - now.keys()):
        result.removed.append(then[k])
    for k in sorted(then.keys() & now.keys()):
        fields = [
            FIELD_LABELS.get(n, n) for n in KEY_FIELDS if _canonical(then[k][n]) != _canonical(now[k][n])
        ]
        if fields:
            result.changed.append((then[k], fields))
    return result
