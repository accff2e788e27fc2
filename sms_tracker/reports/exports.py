"""Excel exports: the workbook writer, and the tasks sheet (declared in sms_tracker/integration.py).

Each app declares the sheets it can export in its integration.py (sms_tracker.core.extensions); a
builder returns (headers, rows) for one project, read with a constant number of queries.
"""

from __future__ import annotations

import io
from datetime import date, datetime

from django.utils import timezone
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from projects import selectors


def _cell(value):
    if isinstance(value, datetime):
        return timezone.localtime(value).replace(tzinfo=None)
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@"):
        return "'" + value  # never let a title become a spreadsheet formula
    return value


def workbook_bytes(*, title: str, headers: list[str], rows: list[list]) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = title[:31]
    sheet.append(headers)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append([_cell(v) for v in row])
    for index, header in enumerate(headers, 1):
        width = max([len(str(header))] + [len(str(r[index - 1] or "")) for r in rows[:200]])
        sheet.column_dimensions[get_column_letter(index)].width = min(max(width + 2, 10), 60)
        if rows and isinstance(rows[0][index - 1], date):
            for cell in sheet[get_column_letter(index)][1:]:
                cell.number_format = "yyyy-mm-dd"
    sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


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
