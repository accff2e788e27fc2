"""Reads of the operating evidence, each in a fixed number of queries whatever the data's size."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import Count, Max
from django.db.models.functions import TruncMonth
from django.utils import timezone

from ..models import EvidenceEntry, OperatingProcess
from .processes import PROCESSES, Process


@dataclass
class ProcessStatus:
    process: Process
    minimum: int  # months the project asks for (Project.min_operating_months)
    months: int = 0  # distinct calendar months with evidence, up to today
    entries: int = 0
    last_on: date | None = None
    started_on: date | None = None

    @property
    def enough(self) -> bool:
        return self.months >= self.minimum

    @property
    def state(self) -> str:
        if self.enough:
            return "enough"
        return "some" if self.months else "none"

    @property
    def state_label(self) -> str:
        return {"enough": "Enough evidence", "some": "Not enough yet", "none": "No evidence"}[self.state]

    @property
    def credited_months(self) -> int:
        """Months that count towards the minimum (progress never exceeds it)."""
        return min(self.months, self.minimum)


def months_by_clause(project, *, today: date | None = None) -> dict[str, int]:
    """{process clause: distinct months with evidence up to today} (1 query)."""
    today = today or timezone.localdate()
    rows = (
        EvidenceEntry.objects.filter(project=project, on__lte=today)
        .annotate(month=TruncMonth("on"))
        .values("process__clause")
        .annotate(months=Count("month", distinct=True))
    )
    return {row["process__clause"]: row["months"] for row in rows}


def process_statuses(project, *, today: date | None = None) -> list[ProcessStatus]:
    """Every process with its months of evidence against the project's minimum (2 queries)."""
    today = today or timezone.localdate()
    minimum = project.min_operating_months
    statuses = {p.clause: ProcessStatus(process=p, minimum=minimum) for p in PROCESSES}
    rows = (
        EvidenceEntry.objects.filter(project=project, on__lte=today)
        .annotate(month=TruncMonth("on"))
        .values("process__clause")
        .annotate(months=Count("month", distinct=True), entries=Count("id"), last_on=Max("on"))
    )
    for row in rows:
        status = statuses.get(row["process__clause"])
        if status:
            status.months, status.entries, status.last_on = row["months"], row["entries"], row["last_on"]
    for clause, started_on in OperatingProcess.objects.filter(project=project).values_list(
        "clause", "started_on"
    ):
        if clause in statuses:
            statuses[clause].started_on = started_on
    return list(statuses.values())


def operation_progress(project, *, months: dict[str, int] | None = None) -> tuple[int, int]:
    """(months credited, months required) over all processes: the operation phase's progress."""
    months = months_by_clause(project) if months is None else months
    minimum = project.min_operating_months
    done = sum(min(months.get(p.clause, 0), minimum) for p in PROCESSES)
    return done, minimum * len(PROCESSES)


def _month_starts(today: date, count: int) -> list[date]:
    year, month = today.year, today.month
    starts = []
    for _ in range(count):
        starts.append(date(year, month, 1))
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return list(reversed(starts))


@dataclass
class HeatRow:
    process: Process
    cells: list[tuple[date, int]]  # (first day of the month, entries that month)
    months: int  # months with evidence in the window


def heat_map(project, *, today: date | None = None, months: int = 12) -> tuple[list[date], list[HeatRow]]:
    """Process × month entry counts for the last `months` months, this month last (1 query)."""
    today = today or timezone.localdate()
    columns = _month_starts(today, months)
    counts = {
        (row["process__clause"], row["month"]): row["n"]
        for row in EvidenceEntry.objects.filter(project=project, on__gte=columns[0], on__lte=today)
        .annotate(month=TruncMonth("on"))
        .values("process__clause", "month")
        .annotate(n=Count("id"))
    }
    rows = []
    for process in PROCESSES:
        cells = [(month, counts.get((process.clause, month), 0)) for month in columns]
        rows.append(HeatRow(process=process, cells=cells, months=sum(1 for _, n in cells if n)))
    return columns, rows


def process_entries(project, process: Process):
    """The process's entries, newest first, with what a row shows (for a paginator)."""
    return (
        EvidenceEntry.objects.filter(project=project, process__clause=process.clause)
        .select_related("created_by", "document_version", "document_version__document")
        .order_by("-on", "-id")
    )


def entry_list(project):
    """Every entry of the project, newest first, with what a row shows (the API's list)."""
    return (
        EvidenceEntry.objects.filter(project=project)
        .select_related("process", "created_by", "document_version", "document_version__document")
        .order_by("-on", "-id")
    )


def operating_process(project, process: Process) -> OperatingProcess | None:
    return OperatingProcess.objects.filter(project=project, clause=process.clause).first()


def operating_evidence_summary(project, *, today: date | None = None) -> str:
    """One paragraph for the management review's "performance" input (2 queries)."""
    statuses = process_statuses(project, today=today)
    minimum = project.min_operating_months
    enough = [s for s in statuses if s.enough]
    short = [s for s in statuses if not s.enough]
    text = (
        f"Operating evidence: {len(enough)} of {len(statuses)} processes have at least {minimum} "
        f"month{'s' if minimum != 1 else ''} of evidence."
    )
    if short:
        names = ", ".join(f"{s.process.title} ({s.months})" for s in short[:8])
        more = f" and {len(short) - 8} more" if len(short) > 8 else ""
        text += f" Short of the minimum (months so far): {names}{more}."
    return text
