"""Documents: reviews due as reminders; documented-information coverage in the management report."""

from datetime import timedelta

from django.conf import settings
from django.db.models import F
from django.db.models.functions import TruncDate
from django.utils.translation import gettext_lazy, gettext_noop

from documents import selectors
from documents.models import Document, DocumentStatus, DocumentVersion, VersionStatus
from kernel.extensions import ReminderItem, due_window
from kernel.i18n import worded_later

MISSING_LISTED = 40
# An approver is asked to decide within this many days of the request (the digest's due date).
APPROVAL_DAYS = 5


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
            category=gettext_lazy("Document review"),
            title=f"{code} {title}",
            due_date=due_date,
            url_name="documents:detail",
            url_args=(project, pk),
            key=f"document-review:{pk}",
        )
        for pk, owner_id, project, project_name, code, title, due_date in rows
    ]


def version_approval_reminders(
    *, today, until=None, since=None, user_id=None, project_ids=None, exclude_user_ids=()
):
    """Versions in review, for the document's named approver (never the version's own author), due
    APPROVAL_DAYS after they were sent. Filtered on the day sent, shifted by those days."""
    shift = timedelta(days=APPROVAL_DAYS)
    until = until if until is not None else today + timedelta(days=settings.REMINDER_HORIZON_DAYS)
    versions = due_window(
        DocumentVersion.objects.filter(
            status=VersionStatus.IN_REVIEW,
            submitted_at__isnull=False,
            document__approver__isnull=False,
            document__project__memberships__user=F("document__approver"),
        )
        .exclude(author=F("document__approver"))
        .annotate(sent_on=TruncDate("submitted_at"), project_id=F("document__project_id")),
        "sent_on",
        today=today,
        until=until - shift,
        since=since - shift if since is not None else None,
        user_field="document__approver",
        user_id=user_id,
        project_ids=project_ids,
        exclude_user_ids=exclude_user_ids,
    )
    rows = versions.order_by("submitted_at", "id").values_list(
        "document_id",
        "document__approver_id",
        "project_id",
        "document__project__name",
        "number",
        "document__code",
        "document__title",
        "sent_on",
        "pk",
    )
    return [
        ReminderItem(
            user_id=approver_id,
            project_id=project,
            project_name=project_name,
            category=gettext_lazy("Approval"),
            title=worded_later(
                gettext_noop("Approve %(code)s v%(number)s %(title)s"),
                {"code": code, "number": number, "title": title},
            ),
            due_date=sent_on + shift,
            url_name="documents:detail",
            url_args=(project, document_id),
            key=f"version-approval:{pk}",
        )
        for document_id, approver_id, project, project_name, number, code, title, sent_on, pk in rows
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
