"""Mandatory records are retained evidence, not approvable documents.

A record is satisfied when the evidence exists and covers the period:
- records the product holds itself (audit programme, audit results, review minutes, nonconformities,
  improvements) come from the app that holds them (kernel.extensions.record_sources);
- operational records come from the operating evidence of the processes that leave them, which
  must cover the project's minimum operating period;
- any other record (evidence of competence) from an evidence version in its register entry.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import reverse

from kernel.extensions import record_sources

from .mandatory import mandatory_items
from .models import Document
from .operation.processes import EVENT_RECORDS, processes_for_record
from .operation.selectors import ProcessStatus, process_statuses

HELD = "held"  # kept by the product itself
OPERATION = "operation"  # from the processes' operating evidence
REGISTER = "register"  # from a version in the register


@dataclass(frozen=True)
class RecordState:
    code: str
    satisfied: bool
    summary: str
    url: str
    source: str

    @property
    def label(self) -> str:
        return "Evidence in place" if self.satisfied else "No evidence yet"


def _held(project) -> dict:
    held = {}
    for source in record_sources():
        held.update(source(project))
    return held


def _operation_state(project, code: str, processes, by_clause: dict[str, ProcessStatus]) -> RecordState:
    """A record the processes leave: kept when each of its processes meets the rule of the stage
    (documents.operation.rules); an event record (complaints, supplier disputes, security
    incidents) only by entries of that kind or the owner's "none occurred" statement."""
    statuses = [by_clause[p.clause] for p in processes]
    stage = statuses[0].stage
    if code in EVENT_RECORDS:
        status = statuses[0]
        satisfied = status.records_met.get(code, False)
        what = EVENT_RECORDS[code].lower()
        if satisfied:
            summary = f"{status.process.title}: {what} records in place"
        elif stage == 1:
            summary = f"{status.process.title}: no {what} record or “none occurred” statement yet"
        else:
            summary = (
                f"{status.process.title}: {what} records or “none occurred” statements must cover "
                f"{status.minimum} recent months in a row"
            )
        url = reverse("documents:operation_process", args=[project.pk, status.process.slug])
        return RecordState(code, satisfied, summary, url, OPERATION)
    short = [s for s in statuses if not s.enough]
    if len(statuses) == 1:
        status = statuses[0]
        summary = f"{status.process.title}: " + ("evidence in place" if not short else status.missing)
        url = reverse("documents:operation_process", args=[project.pk, status.process.slug])
    else:
        rule = "operate with first records" if stage == 1 else "meet the minimum operating period"
        summary = f"{len(statuses) - len(short)} of {len(statuses)} processes {rule}"
        url = reverse("documents:operation", args=[project.pk])
    return RecordState(code, not short, summary, url, OPERATION)


def record_states(
    project,
    *,
    statuses: list[ProcessStatus] | None = None,
    latest_versions: dict[str, tuple] | None = None,
) -> dict[str, RecordState]:
    """{record code: its state} for every mandatory record (constant queries: the held sources,
    two for the operating evidence unless `statuses` (process_statuses) is given, one for the
    register entries unless `latest_versions` ({code: (document id, latest version id)}) is)."""
    held = _held(project)
    statuses = process_statuses(project) if statuses is None else statuses
    by_clause = {s.process.clause: s for s in statuses}
    by_record = processes_for_record()
    register_rows = latest_versions
    if register_rows is None:
        register_rows = {
            code: (pk, version_id)
            for code, pk, version_id in Document.objects.filter(project=project)
            .exclude(mandatory_code="")
            .values_list("mandatory_code", "id", "latest_version_id")
        }
    # A withdrawn version is not evidence; the latest version is never withdrawn (a new one replaced it).
    states = {}
    for item in mandatory_items():
        if not item.is_record:
            continue
        code = item.code
        if code in held:
            record = held[code]
            states[code] = RecordState(code, record.satisfied, record.summary, record.url, HELD)
        elif code in by_record:
            states[code] = _operation_state(project, code, by_record[code], by_clause)
        else:
            pk, version_id = register_rows.get(code, (None, None))
            url = (
                reverse("documents:detail", args=[project.pk, pk])
                if pk
                else reverse("documents:register", args=[project.pk])
            )
            summary = (
                "Evidence attached in the register" if version_id else "Attach the evidence in the register"
            )
            states[code] = RecordState(code, bool(version_id), summary, url, REGISTER)
    return states
