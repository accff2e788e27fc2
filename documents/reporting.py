"""Documents: reviews due as reminders; documented-information coverage in the management report."""

from django.db.models import F

from documents import selectors
from documents.models import Document, DocumentStatus
from sms_tracker.core.extensions import ReminderItem, due_window

MISSING_LISTED = 40


def document_review_reminders(
    *, today, until=None, since=None, user_id=None, project_ids=None, exclude_user_ids=()
):
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
        project_ids=project_ids,
        exclude_user_ids=exclude_user_ids,
    )
    rows = documents.order_by("next_review_date", "id").values_list(
        "pk", "owner_id", "project_id", "project__name", "code", "title", "next_review_date"
    )
    return [
        ReminderItem(
            user_id=owner_id,
            project_id=project,
            project_name=project_name,
            category="Document review",
            title=f"{code} {title}",
            due_date=due_date,
            url_name="documents:detail",
            url_args=(project, pk),
            key=f"document-review:{pk}",
        )
        for pk, owner_id, project, project_name, code, title, due_date in rows
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
