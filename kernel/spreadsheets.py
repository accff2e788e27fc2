"""The one spreadsheet writer of the app: every Excel (and spreadsheet-bound CSV) export goes here.

Text that a spreadsheet program would run as a formula (it starts with =, +, -, @, a tab or a
carriage return) is written with a leading apostrophe, so a task title or a clause note can
never become `=HYPERLINK(...)` in the reader's Excel. Imports that read our own exports back
call `unquote` to drop that apostrophe again.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime

from django.utils import timezone
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
BOLD = Font(bold=True)
WRAP = Alignment(wrap_text=True, vertical="top")


def safe_value(value):
    """A value as it may be written to a spreadsheet cell: formulas quoted, datetimes local."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    if isinstance(value, datetime):
        return timezone.localtime(value).replace(tzinfo=None) if timezone.is_aware(value) else value
    return value


def unquote(value):
    """The inverse of `safe_value` for text read back from one of our exports."""
    if isinstance(value, str) and value.startswith("'") and value[1:].startswith(FORMULA_PREFIXES):
        return value[1:]
    return value


@dataclass
class Sheet:
    title: str
    headers: Sequence[str]
    rows: Iterable[Sequence]
    widths: Sequence[int] | None = None  # None: from the content, between 10 and 60
    preamble: Sequence[Sequence] = ()  # lines above the header (a title, "exported on")
    wrap: bool = False
    freeze: bool = True


def _cell(sheet, value, *, bold=False, wrap=False):
    cell = WriteOnlyCell(sheet, value=safe_value(value))
    if bold:
        cell.font = BOLD
    if wrap:
        cell.alignment = WRAP
    if isinstance(value, datetime):
        cell.number_format = "yyyy-mm-dd hh:mm"
    elif isinstance(value, date):
        cell.number_format = "yyyy-mm-dd"
    return cell


def _widths(headers: Sequence[str], rows: list[Sequence]) -> list[int]:
    widths = []
    for index, header in enumerate(headers):
        longest = max([len(str(header))] + [len(str(r[index] or "")) for r in rows[:200] if index < len(r)])
        widths.append(min(max(longest + 2, 10), 60))
    return widths


def workbook_bytes(*sheets: Sheet) -> bytes:
    """An .xlsx file with the given sheets, each a bold frozen header above its rows."""
    book = Workbook(write_only=True)
    for spec in sheets:
        rows = list(spec.rows)
        sheet = book.create_sheet(spec.title[:31])
        for index, width in enumerate(spec.widths or _widths(spec.headers, rows), 1):
            sheet.column_dimensions[get_column_letter(index)].width = width
        if spec.freeze:
            sheet.freeze_panes = f"A{len(spec.preamble) + 2}"
        for number, line in enumerate(spec.preamble):
            sheet.append([_cell(sheet, v, bold=number == 0) for v in line])
        sheet.append([_cell(sheet, h, bold=True) for h in spec.headers])
        for row in rows:
            sheet.append([_cell(sheet, v, wrap=spec.wrap) for v in row])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def csv_bytes(*, headers: Sequence[str], rows: Iterable[dict]) -> bytes:
    """A UTF-8 CSV table (rows as dicts by header), formulas quoted like in the workbooks."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(headers), lineterminator="\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({k: safe_value(v) for k, v in row.items()})
    return out.getvalue().encode("utf-8")
