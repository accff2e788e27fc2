"""Excel exports: the workbook writer, and the tasks sheet (declared in reports/integration.py).

Each app declares the sheets it can export in its integration.py (kernel.extensions); a
builder returns (headers, rows) for one project, read with a constant number of queries. The
workbook itself is written by `kernel.spreadsheets`, the one writer of the app.
"""

from __future__ import annotations

from django.utils import timezone

from projects import selectors


def tasks_export(project):
    today = timezone.localdate()
    headers = ["Phase", "Task", "Assignee", "Priority", "Status", "Start", "Due", "Overdue", "Completed at"]
    rows = [
        [
            f"{t.phase.label} {t.phase.display_title}",
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
