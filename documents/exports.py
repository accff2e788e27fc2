"""The register as an Excel workbook (through the app's one spreadsheet writer)."""

from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from kernel.spreadsheets import Sheet, workbook_bytes

from .mandatory import mandatory_by_code

HEADERS = (
    (_("Code"), 12),
    (_("Title"), 50),
    (_("Type"), 20),
    (_("Clauses"), 16),
    (_("Mandatory item"), 14),
    (_("Status"), 12),
    (_("Current version"), 10),
    (_("Approved on"), 12),
    (_("Approved by"), 16),
    (_("Owner"), 16),
    (_("Approver"), 16),
    (_("Confidentiality"), 14),
    (_("Review interval (months)"), 10),
    (_("Next review"), 12),
    (_("Review state"), 14),
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
            gettext("Register"),
            [str(h) for h, _ in HEADERS],
            rows,
            widths=[w for _, w in HEADERS],
            preamble=[
                [gettext("Register of documented information — %(name)s") % {"name": project.name}],
                [f"Exported {timezone.localtime():%-d %b %Y %H:%M}"],
                [],
            ],
        )
    )
