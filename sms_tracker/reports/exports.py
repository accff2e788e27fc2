"""Excel exports, as a registry: each app registers the sheets it can export.

The workbook itself is written by `sms_tracker.core.spreadsheets`, the one writer of the app.

A builder returns (headers, rows) for one project, read with a constant number of queries.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.utils import timezone

from projects import selectors


@dataclass(frozen=True)
class ExportSpec:
    key: str
    label: str
    build: Callable[..., tuple[list[str], list[list]]]


_exports: dict[str, ExportSpec] = {}


def register_export(spec: ExportSpec) -> ExportSpec:
    _exports[spec.key] = spec
    return spec


def exports() -> list[ExportSpec]:
    return list(_exports.values())


def export_spec(key: str) -> ExportSpec | None:
    return _exports.get(key)


def tasks_export(project):
    today = timezone.localdate()
    headers = ["Phase", "Task", "Assignee", "Priority", "Status", "Start", "Due", "Overdue", "Completed at"]
    rows = [
        [
            f"{t.phase.label} {t.phase.title}",
            t.title,
            t.assignee.username if t.assignee else "",
            t.get_priority_display(),
            t.get_status_display(),
            t.start_date,
            t.due_date,
            "yes" if t.is_overdue(today) else "",
            t.completed_at,
        ]
        for t in selectors.task_list(project=project)
    ]
    return headers, rows


register_export(ExportSpec("tasks", "Tasks", tasks_export))
