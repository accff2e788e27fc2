"""The register as an Excel workbook (through the app's one spreadsheet writer)."""

from django.utils import timezone

from kernel.spreadsheets import Sheet, workbook_bytes

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


def _person(user):
    return (user.get_full_name() or user.username) if user else ""


def register_workbook(project, documents) -> bytes:
    mandatory = mandatory_by_code()
    rows = []
    for doc in documents:
        current = doc.current_version
        item = mandatory.get(doc.mandatory_code)
        rows.append(
            [
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
            ]
        )
    return workbook_bytes(
        Sheet(
            "Register",
            [h for h, _ in HEADERS],
            rows,
            widths=[w for _, w in HEADERS],
            preamble=[
                [f"Register of documented information — {project.name}"],
                [f"Exported {timezone.localtime():%d %b %Y %H:%M}"],
                [],
            ],
        )
    )
