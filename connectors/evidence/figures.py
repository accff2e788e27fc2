"""Figures per process and month from the tickets, computed set-based in SQL: a constant number of
queries whatever the number of tickets, rules, connectors or months.

Per process (the mapping rules' CASE) and month the ticket was opened: volume, SLA attainment,
mean and 90th-percentile resolution time, reopen rate, change success rate, emergency-change share;
per month end: the backlog (opened by then and not yet resolved)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django.db import connection
from django.db.models import Aggregate, Avg, Case, Count, DurationField, ExpressionWrapper, F, Q, Value, When
from django.db.models.functions import Coalesce, Lower, TruncMonth
from django.utils import timezone

from connectors.models import Connector, Ticket

from .catalogue import catalogue_targets
from .mapping import annotate_process, project_rules
from .populations import month_bounds

# Names a connector's targets may use for a process, besides its clause number ("8.6.1": 8).
TARGET_NAMES = {
    "incident": "8.6.1",
    "incidents": "8.6.1",
    "service request": "8.6.2",
    "service_request": "8.6.2",
    "request": "8.6.2",
    "problem": "8.6.3",
    "change": "8.5.1",
    "release": "8.5.3",
}


class Percentile90(Aggregate):
    """PostgreSQL's percentile_cont(0.9) over intervals (SQLite has none: see _p90_sqlite)."""

    function = "PERCENTILE_CONT"
    name = "Percentile90"
    template = "%(function)s(0.9) WITHIN GROUP (ORDER BY %(expressions)s)"
    output_field = DurationField()


def catalogue_sla_targets(project) -> dict[tuple[str, str], float]:
    """{(service name lower-cased, clause): resolution target in hours} from the service catalogue's
    SLA targets that set a time to resolve a kind of ticket (catalogue.py). They win over the
    connector's targets for tickets of a service the catalogue names."""
    return {(t.service, t.clause): t.hours for t in catalogue_targets(project)}


def connector_sla_targets(project) -> dict[tuple[int, str], float]:
    """{(connector id, clause): hours} from each connector's targets, keyed by clause or by name."""
    targets = {}
    for connector_id, raw in Connector.objects.filter(project=project).values_list("id", "targets"):
        for key, hours in (raw or {}).items():
            clause = TARGET_NAMES.get(str(key).strip().lower(), str(key).strip())
            try:
                value = float(hours)
            except (TypeError, ValueError):
                continue
            if value > 0:
                targets[(connector_id, clause)] = value
    return targets


def sla_target_expression(project):
    """CASE giving each (already process-annotated) ticket its resolution target as an interval."""
    whens = [
        When(Q(_service=service, process=clause), then=Value(timedelta(hours=hours)))
        for (service, clause), hours in catalogue_sla_targets(project).items()
    ] + [
        When(Q(connector_id=connector_id, process=clause), then=Value(timedelta(hours=hours)))
        for (connector_id, clause), hours in connector_sla_targets(project).items()
    ]
    if not whens:
        return Value(None, output_field=DurationField())
    return Case(*whens, default=Value(None), output_field=DurationField())


@dataclass
class MonthFigures:
    month: date
    volume: int = 0
    resolved: int = 0
    sla_total: int = 0
    sla_met: int = 0
    mean_resolution: timedelta | None = None
    p90_resolution: timedelta | None = None
    backlog: int = 0
    reopened: int = 0
    changes_judged: int = 0
    changes_succeeded: int = 0
    emergency: int = 0

    @staticmethod
    def _pct(part: int, whole: int) -> float | None:
        return round(100 * part / whole, 1) if whole else None

    @property
    def sla_percent(self):
        return self._pct(self.sla_met, self.sla_total)

    @property
    def reopen_percent(self):
        return self._pct(self.reopened, self.volume)

    @property
    def change_success_percent(self):
        return self._pct(self.changes_succeeded, self.changes_judged)

    @property
    def emergency_percent(self):
        return self._pct(self.emergency, self.volume)

    @staticmethod
    def _hours(value):
        return round(value.total_seconds() / 3600, 1) if value is not None else None

    @property
    def mean_hours(self):
        return self._hours(self.mean_resolution)

    @property
    def p90_hours(self):
        return self._hours(self.p90_resolution)


def month_starts(today: date, count: int) -> list[date]:
    """The last `count` months ending with the month before today's (closed months only)."""
    month = today.replace(day=1)
    starts = []
    for _ in range(count):
        month = (month - timedelta(days=1)).replace(day=1)
        starts.append(month)
    return list(reversed(starts))


def _tickets(project, rules):
    done = Coalesce("resolved_at", "closed_at")
    tickets = Ticket.objects.filter(project=project).annotate(_done=done, _service=Lower("service_name"))
    tickets = annotate_process(tickets, rules)
    return tickets.annotate(
        _res=ExpressionWrapper(F("_done") - F("opened_at"), output_field=DurationField())
    ).annotate(_target=sla_target_expression(project))


def _p90_sqlite(rows) -> dict:
    """90th percentile (linear interpolation, as percentile_cont) from (process, month, duration)."""
    grouped: dict = {}
    for process, month, duration in rows:
        grouped.setdefault((process, month), []).append(duration)
    result = {}
    for key, values in grouped.items():
        values.sort()
        position = 0.9 * (len(values) - 1)
        low = int(position)
        high = min(low + 1, len(values) - 1)
        result[key] = values[low] + (values[high] - values[low]) * (position - low)
    return result


def monthly_figures(
    project, *, months: int = 12, today: date | None = None, rules=None
) -> tuple[list[date], dict]:
    """(columns, {clause: [MonthFigures per column]}) for every clause that has tickets in the window
    ("" collects the tickets no rule maps). 5 queries on PostgreSQL (6 on SQLite)."""
    today = today or timezone.localdate()
    columns = month_starts(today, months)
    rules = project_rules(project) if rules is None else rules
    first, _ = month_bounds(columns[0])
    _, last = month_bounds(columns[-1])
    base = _tickets(project, rules)
    in_window = base.filter(opened_at__gte=first, opened_at__lt=last).annotate(_month=TruncMonth("opened_at"))
    aggregates = {
        "volume": Count("id"),
        "resolved": Count("id", filter=Q(_done__isnull=False)),
        "sla_total": Count("id", filter=Q(_done__isnull=False, _target__isnull=False)),
        "sla_met": Count("id", filter=Q(_done__isnull=False, _target__isnull=False, _res__lte=F("_target"))),
        "mean_resolution": Avg("_res"),
        "reopened": Count("id", filter=Q(reopened_count__gt=0)),
        "changes_judged": Count("id", filter=Q(change_succeeded__isnull=False)),
        "changes_succeeded": Count("id", filter=Q(change_succeeded=True)),
        "emergency": Count("id", filter=Q(is_emergency=True)),
    }
    postgres = connection.vendor == "postgresql"
    if postgres:
        aggregates["p90_resolution"] = Percentile90("_res")
    result: dict[str, dict[date, MonthFigures]] = {}

    def cell(process, month) -> MonthFigures:
        row = result.setdefault(process, {m: MonthFigures(month=m) for m in columns})
        return row[month]

    for row in in_window.values("process", "_month").annotate(**aggregates).order_by():
        month = row.pop("_month")
        month = month.date() if hasattr(month, "date") else month
        process = row.pop("process")
        figures = cell(process, month)
        for name, value in row.items():
            setattr(figures, name, value)
    if not postgres:
        durations = in_window.filter(_done__isnull=False).values_list("process", "_month", "_res")
        for (process, month), value in _p90_sqlite(durations).items():
            month = month.date() if hasattr(month, "date") else month
            cell(process, month).p90_resolution = value
    ends = [month_bounds(m)[1] for m in columns]
    backlog = {
        f"b{i}": Count("id", filter=Q(opened_at__lt=end) & (Q(_done__isnull=True) | Q(_done__gte=end)))
        for i, end in enumerate(ends)
    }
    open_rows = base.filter(opened_at__lt=last).filter(Q(_done__isnull=True) | Q(_done__gte=ends[0]))
    for row in open_rows.values("process").annotate(**backlog).order_by():
        for i, month in enumerate(columns):
            if row[f"b{i}"]:
                cell(row["process"], month).backlog = row[f"b{i}"]
    return columns, {process: [cells[m] for m in columns] for process, cells in result.items()}
