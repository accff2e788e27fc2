"""The register as an Excel workbook (openpyxl)."""

from io import BytesIO

from django.utils import timezone
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from .mandatory import mandatory_by_code

HEADERS = (
    ("Code", 12),
    ("Title", 50),
    ("Type", 20),
    ("Clauses", 16),
    ("Mandatory item", 14),
    ("Status", 12),
    ("Current version", 10),
    ("Approved on", 12),
    ("Approved by", 16),
    ("Owner", 16),
    ("Approver", 16),
    ("Confidentiality", 14),
    ("Review interval (months)", 10),
    ("Next review", 12),
    ("Review state", 14),
)
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def _cell(value):
    """Text that a spreadsheet would run as a formula is kept as text."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def _person(user):
    return (user.get_full_name() or user.username) if user else ""


def register_workbook(project, documents) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Register"
    sheet.append([f"Register of documented information — {project.name}"])
    sheet["A1"].font = Font(bold=True, size=13)
    sheet.append([f"Exported {timezone.localtime():%d %b %Y %H:%M}"])
    sheet.append([])
    sheet.append([h for h, _ in HEADERS])
    for column, (_, width) in enumerate(HEADERS, 1):
        sheet.cell(row=4, column=column).font = Font(bold=True)
        sheet.column_dimensions[get_column_letter(column)].width = width
    sheet.freeze_panes = "A5"
    mandatory = mandatory_by_code()
    for doc in documents:
        current = doc.current_version
        item = mandatory.get(doc.mandatory_code)
        sheet.append(
            [
                _cell(v)
                for v in (
                    doc.code,
                    doc.title,
                    doc.get_doc_type_display(),
                    doc.clauses_label,
                    f"{item.code} ({item.kind})" if item else "",
                    doc.get_status_display(),
                    current.number if current else None,
                    timezone.localdate(current.approved_at) if current and current.approved_at else None,
                    _person(current.approved_by) if current else "",
                    _person(doc.owner),
                    _person(doc.approver),
                    doc.get_confidentiality_display(),
                    doc.review_interval_months,
                    doc.next_review_date,
                    doc.review_state_label if doc.review_state() != "none" else "",
                )
            ]
        )
    for row in sheet.iter_rows(min_row=5, min_col=8, max_col=8):
        row[0].number_format = "yyyy-mm-dd"
    for row in sheet.iter_rows(min_row=5, min_col=14, max_col=14):
        row[0].number_format = "yyyy-mm-dd"
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
