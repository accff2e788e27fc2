"""E-mails of the register, all through the outbox (kernel.outbox).

A version sent for review tells its named approver at once. The row's key is the submission (the
transition to "in review"), so a retried or doubled request records one message, while a version
returned and sent again the same day is a new request and notifies again.
"""

from __future__ import annotations

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from kernel.i18n import in_language_of
from kernel.outbox import OutboxMessage, enqueue_send, outbox_record

SUBJECT_TYPE = "version_submission"


def review_requested(*, document, version, submission, user) -> OutboxMessage | None:
    """Record the approver's e-mail about `version` (sent after commit); None if they have no address."""
    approver = document.approver
    if approver is None or not approver.email or not approver.is_active:
        return None
    with in_language_of(approver):  # the approver's language
        return _review_request_message(document=document, version=version, submission=submission, user=user)


def _review_request_message(*, document, version, submission, user) -> OutboxMessage:
    approver = document.approver
    author = user.get_full_name() or user.get_username()
    url = settings.SITE_URL + document.get_absolute_url()
    summary = version.change_summary.strip()
    message = outbox_record(
        recipient=approver,
        subject_type=SUBJECT_TYPE,
        subject_id=submission.pk,
        kind="review_request",
        day=timezone.localdate(submission.at),
        subject=f"Please approve {document.code} v{version.number}: {document.title}",
        body_text=(
            f"Hello {approver.first_name or approver.get_username()},\n\n"
            f"{author} asks you to approve version {version.number} of “{document.code} {document.title}” "
            f"in the project “{document.project.name}”.\n\n"
            f"What changed: {summary}\n\n"
            f"Approve it or return it to the author here:\n{url}\n\n"
            "It also waits for you under “My work” until you decide, and in your daily digest."
        ),
    )
    transaction.on_commit(lambda: enqueue_send(message.pk))
    return message
