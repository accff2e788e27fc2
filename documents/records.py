"""Mandatory records are retained evidence, not approvable documents.

A record is satisfied when the evidence exists and covers the period:
- records the product holds itself (audit programme, audit results, review minutes, nonconformities,
  improvements) come from the app that holds them (sms_tracker.core.extensions.record_sources);
- operational records come from the operating evidence of the processes that leave them, which
  must cover the project's minimum operating period;
- any other record (evidence of competence) from an evidence version in its register entry.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import reverse

from sms_tracker.core.extensions import record_sources

from .mandatory import mandatory_items
from .models import Document
from .operation.processes import processes_for_record
from .operation.selectors import months_by_clause

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


def record_states(
    project, *, months: dict[str, int] | None = None, latest_versions: dict[str, tuple] | None = None
) -> dict[str, RecordState]:
    """{record code: its state} for every mandatory record (constant queries: the held sources,
    one for the operating evidence unless `months` is given, one for the register entries unless
    `latest_versions` ({code: (document id, latest version id)}) is)."""
    held = _held(project)
    months = months_by_clause(project) if months is None else months
    minimum = project.min_operating_months
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
            processes = by_record[code]
            short = [p for p in processes if months.get(p.clause, 0) < minimum]
            if len(processes) == 1:
                process = processes[0]
                summary = f"{process.title}: {months.get(process.clause, 0)} of {minimum} months of evidence"
                url = reverse("documents:operation_process", args=[project.pk, process.slug])
            else:
                covered = len(processes) - len(short)
                summary = f"{covered} of {len(processes)} processes have {minimum} months of evidence"
                url = reverse("documents:operation", args=[project.pk])
            states[code] = RecordState(code, not short, summary, url, OPERATION)
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
