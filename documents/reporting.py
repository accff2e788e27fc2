"""Documents: reviews due as reminders; documented-information coverage in the management report."""

from django.db.models import F
from django.urls import reverse

from documents import selectors
from documents.models import Document, DocumentStatus
from sms_tracker.core.extensions import ReminderItem, due_window

MISSING_LISTED = 40


def document_review_reminders(*, today, until=None, since=None, user_id=None):
    """Approved documents whose review date is within the horizon or past, for their owner."""
    documents = due_window(
        Document.objects.filter(
            status=DocumentStatus.APPROVED, owner__isnull=False, project__memberships__user=F("owner")
        ),
        "next_review_date",
        today=today,
        until=until,
        since=since,
        user_field="owner",
        user_id=user_id,
    )
    return [
        ReminderItem(
            user_id=document.owner_id,
            project_id=document.project_id,
            project_name=document.project.name,
            category="Document review",
            title=f"{document.code} {document.title}",
            due_date=document.next_review_date,
            path=reverse("documents:detail", args=[document.project_id, document.pk]),
            key=f"document-review:{document.pk}",
        )
        for document in documents.select_related("project").order_by("next_review_date", "id")
    ]


def coverage_section(project, *, today, shared):
    coverage = selectors.mandatory_coverage(project)
    summary = selectors.document_status_summary(project, today=today)
    return {
        "coverage": coverage,
        "missing": coverage.missing[:MISSING_LISTED],
        "more_missing": max(len(coverage.missing) - MISSING_LISTED, 0),
        "summary": summary,
        "statuses": [
            (summary["status_labels"][status], count) for status, count in summary["by_status"].items()
        ],
    }
