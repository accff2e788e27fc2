"""Reads of the operating evidence, each in a fixed number of queries whatever the data's size."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.utils import timezone
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from ..models import EvidenceEntry, EvidenceOrigin, OperatingProcess
from .processes import EVENT_RECORDS, PERIODIC, PROCESSES, Process
from .rules import EntryFacts, backdating_flag, evaluate, record_met

STAGES = (1, 2)
# Entries drawn from another system carry their period and are never backdated.
SYSTEM_ORIGINS = (EvidenceOrigin.SYSTEM, EvidenceOrigin.CONNECTOR)


@dataclass
class ProcessStatus:
    """One process against one stage's rule (documents.operation.rules)."""

    process: Process
    minimum: int  # months the project asks for (Project.min_operating_months)
    stage: int = 2
    months: int = 0  # recent months in a row with evidence (continuous, event-driven); cycles: 0/1
    credited_months: int = 0  # units counted towards the Stage 2 minimum (never above it)
    entries: int = 0
    flagged: int = 0  # hand-recorded entries that do not count (backdated), not accepted
    last_on: date | None = None
    started_on: date | None = None
    owner_id: int | None = None
    operating: bool = False  # Stage 1: started, with a first record that counts
    period_met: bool = False  # Stage 2: the full minimum period
    shortfall: str = _("no evidence yet")
    records_met: dict[str, bool] = field(default_factory=dict)  # event records of this process
    covered: set = field(default_factory=set)  # months covered by entries that count
    counted_by_month: dict = field(default_factory=dict)  # {month: entries that count for it}
    facts: list = field(default_factory=list, repr=False)  # the entries as the rules read them

    @property
    def kind(self) -> str:
        return self.process.kind

    @property
    def enough(self) -> bool:
        """Met for the stage asked: operating (Stage 1) or the full period (Stage 2)."""
        return self.operating if self.stage == 1 else self.period_met

    @property
    def state(self) -> str:
        if self.enough:
            return "enough"
        return "some" if self.credited_months or self.operating else "none"

    @property
    def state_label(self) -> str:
        return {
            "enough": gettext("Enough evidence"),
            "some": gettext("Not enough yet"),
            "none": gettext("No evidence"),
        }[self.state]

    @property
    def missing(self) -> str:
        """What the stage still needs, in words (for the gates and the pages)."""
        if self.enough:
            return ""
        if self.stage == 1:
            if not self.started_on:
                return gettext("no start of operation recorded")
            return gettext("no first record that counts")
        return self.shortfall


def _facts(row: dict, owner_id) -> EntryFacts:
    return EntryFacts(
        on=row["on"],
        recorded_on=timezone.localdate(row["created_at"]),
        period_start=row["period_start"],
        system=row["origin"] in SYSTEM_ORIGINS,
        accepted=row["accepted_at"] is not None,
        none_occurred=row["none_occurred"],
        record_code=row["record_code"],
        by_owner=row["created_by_id"] is not None and row["created_by_id"] == owner_id,
    )


ENTRY_FIELDS = ("on", "created_at", "period_start", "origin", "accepted_at", "none_occurred", "record_code",
                "created_by_id")  # fmt: skip


def _process_rows(project) -> dict[str, tuple[date | None, int | None, list[dict]]]:
    """{clause: (started_on, owner id, entry rows)} in one query: the process rows joined to their
    entries (a process without entries gives one row with empty entry fields)."""
    result: dict[str, tuple[date | None, int | None, list[dict]]] = {}
    fields = [f"entries__{name}" for name in ENTRY_FIELDS]
    for row in OperatingProcess.objects.filter(project=project).values(
        "clause", "started_on", "owner_id", *fields
    ):
        started_on, owner_id, entries = result.setdefault(
            row["clause"], (row["started_on"], row["owner_id"], [])
        )
        if row["entries__on"] is not None:
            entries.append({name: row[f"entries__{name}"] for name in ENTRY_FIELDS})
    return result


def process_statuses(project, *, stage: int = 2, today: date | None = None) -> list[ProcessStatus]:
    """Every process against the rule of `stage` (1: operating with first records; 2: the full
    minimum operating period, by kind). The one function every reader calls (1 query)."""
    if stage not in STAGES:
        raise ValueError(f"stage must be 1 or 2, not {stage!r}")
    today = today or timezone.localdate()
    minimum = project.min_operating_months
    statuses = {p.clause: ProcessStatus(process=p, minimum=minimum, stage=stage) for p in PROCESSES}
    process_rows = _process_rows(project)
    for clause, status in statuses.items():
        started_on, owner_id, rows = process_rows.get(clause, (None, None, []))
        status.started_on, status.owner_id = started_on, owner_id
        facts = [_facts(r, owner_id) for r in rows if r["on"] <= today]
        result = evaluate(status.process, facts, started_on=started_on, minimum=minimum, today=today)
        status.entries = len(facts)
        status.last_on = max((f.on for f in facts), default=None)
        status.flagged = sum(1 for f in facts if not f.accepted and backdating_flag(f, started_on))
        status.operating, status.period_met = result.operating, result.period_met
        status.credited_months, status.shortfall = result.credited, result.shortfall
        status.covered = result.months
        status.months = result.credited if status.process.kind != PERIODIC else int(result.period_met)
        status.counted_by_month = result.counted_by_month
        status.facts = facts
    for status in statuses.values():
        for code in status.process.records:
            if code in EVENT_RECORDS:
                status.records_met[code] = record_met(
                    status.facts,
                    record_code=code,
                    started_on=status.started_on,
                    minimum=minimum,
                    today=today,
                    stage=stage,
                )
    return list(statuses.values())


def operating_period_met(project, *, stage: int = 2, today: date | None = None) -> bool:
    """Every process meets `stage`'s rule (the gates' "operating period met")."""
    return all(status.enough for status in process_statuses(project, stage=stage, today=today))


def operation_progress(project, *, statuses: list[ProcessStatus] | None = None) -> tuple[int, int]:
    """(units credited, units required) over all processes towards Stage 2: the operation phase."""
    statuses = process_statuses(project) if statuses is None else statuses
    minimum = project.min_operating_months
    return sum(s.credited_months for s in statuses), minimum * len(PROCESSES)


def _month_starts(today: date, count: int) -> list[date]:
    year, month = today.year, today.month
    starts = []
    for _step in range(count):
        starts.append(date(year, month, 1))
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return list(reversed(starts))


@dataclass
class HeatRow:
    process: Process
    cells: list[tuple[date, int]]  # (first day of the month, entries that count that month)
    months: int  # months with evidence that counts in the window
    status: ProcessStatus | None = None


HEAT_MAP_MAX_MONTHS = 24


def heat_map_months(project, today: date) -> int:
    """From the project's start month to this month (issue 25 §2.9: a project that started in
    December shows December), at most HEAT_MAP_MAX_MONTHS; at least this month."""
    start = project.start_date
    if start is None:
        return 12
    months = (today.year - start.year) * 12 + today.month - start.month + 1
    return min(max(months, 1), HEAT_MAP_MAX_MONTHS)


def heat_map(
    project,
    *,
    today: date | None = None,
    months: int | None = None,
    statuses: list[ProcessStatus] | None = None,
) -> tuple[list[date], list[HeatRow]]:
    """Process × month counts of the entries that count (the rule of process_statuses), from the
    project's start month (or the last `months` months), this month last (1 query, none when
    `statuses` is given)."""
    today = today or timezone.localdate()
    columns = _month_starts(today, months if months is not None else heat_map_months(project, today))
    statuses = statuses if statuses is not None else process_statuses(project, today=today)
    rows = []
    for status in statuses:
        cells = [(month, status.counted_by_month.get(month, 0)) for month in columns]
        rows.append(
            HeatRow(process=status.process, cells=cells, months=sum(1 for _, n in cells if n), status=status)
        )
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


def entry_flag(entry: EvidenceEntry) -> str:
    """Why a hand-recorded entry does not count on its own, "" when it does or the lead accepted it
    (reads entry.process: select it with the entry)."""
    if entry.accepted_at is not None or entry.origin in SYSTEM_ORIGINS:
        return ""
    recorded_on = timezone.localdate(entry.created_at) if entry.created_at else timezone.localdate()
    facts = EntryFacts(on=entry.on, recorded_on=recorded_on)
    return backdating_flag(facts, entry.process.started_on)


def operating_process(project, process: Process) -> OperatingProcess | None:
    return OperatingProcess.objects.filter(project=project, clause=process.clause).first()


def headline(statuses: list[ProcessStatus]) -> str:
    """The one sentence every page uses for the count, e.g. "5 of 24 processes meet the minimum
    operating period (3 months)"."""
    met = sum(1 for s in statuses if s.enough)
    if statuses and statuses[0].stage == 1:
        return gettext("%(met)s of %(len)s processes operate with first records") % {
            "met": met,
            "len": len(statuses),
        }
    minimum = statuses[0].minimum if statuses else 0
    return ngettext(
        "%(met)s of %(len)s processes meet the minimum operating period (%(minimum)s month)",
        "%(met)s of %(len)s processes meet the minimum operating period (%(minimum)s months)",
        minimum,
    ) % {"met": met, "len": len(statuses), "minimum": minimum}


def operating_evidence_summary(project, *, today: date | None = None) -> str:
    """One paragraph for the management review's "performance" input (2 queries)."""
    statuses = process_statuses(project, today=today)
    short = [s for s in statuses if not s.enough]
    text = gettext("Operating evidence: %(headline)s.") % {"headline": headline(statuses)}
    if short:
        names = ", ".join(f"{s.process.title} ({s.missing})" for s in short[:8])
        more = gettext(" and %(len)s more") % {"len": len(short) - 8} if len(short) > 8 else ""
        text += gettext(" Short of it: %(names)s%(more)s.") % {"names": names, "more": more}
    return text
