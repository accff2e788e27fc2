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
from django.utils.translation import gettext as _

from kernel.extensions import record_sources
from kernel.i18n import mid_sentence

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
        return _("Evidence in place") if self.satisfied else _("No evidence yet")


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
        what = mid_sentence(EVENT_RECORDS[code])
        if satisfied:
            summary = _("%(title)s: %(what)s records in place") % {
                "title": status.process.title,
                "what": what,
            }
        elif stage == 1:
            summary = _("%(title)s: no %(what)s record or “none occurred” statement yet") % {
                "title": status.process.title,
                "what": what,
            }
        else:
            summary = _(
                "%(title)s: %(what)s records or “none occurred” statements must cover %(minimum)s"
                " recent months in a row"
            ) % {"title": status.process.title, "what": what, "minimum": status.minimum}
        url = reverse("documents:operation_process", args=[project.pk, status.process.slug])
        return RecordState(code, satisfied, summary, url, OPERATION)
    short = [s for s in statuses if not s.enough]
    if len(statuses) == 1:
        status = statuses[0]
        summary = f"{status.process.title}: " + (_("evidence in place") if not short else status.missing)
        url = reverse("documents:operation_process", args=[project.pk, status.process.slug])
    else:
        rule = _("operate with first records") if stage == 1 else _("meet the minimum operating period")
        summary = _("%(len)s of %(total)s processes %(rule)s") % {
            "len": len(statuses) - len(short),
            "total": len(statuses),
            "rule": rule,
        }
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
                _("Evidence attached in the register")
                if version_id
                else _("Attach the evidence in the register")
            )
            states[code] = RecordState(code, bool(version_id), summary, url, REGISTER)
    return states
