"""E-mails of the register, all through the outbox (kernel.outbox).

A version sent for review tells its named approver at once. The row's key is the submission (the
transition to "in review"), so a retried or doubled request records one message, while a version
returned and sent again the same day is a new request and notifies again.
"""

from __future__ import annotations

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

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
        subject=_("Please approve %(code)s v%(number)s: %(title)s")
        % {"code": document.code, "number": version.number, "title": document.display_title},
        body_text=(
            _(
                "Hello %(username)s,\n\n%(author)s asks you to approve version %(number)s of "
                "“%(code)s %(title)s” in the project “%(name)s”.\n\nWhat changed: "
                "%(summary)s\n\nApprove it or return it to the author here:\n%(url)s\n\nIt also "
                "waits for you under “My work” until you decide, and in your daily digest."
            )
            % {
                "username": approver.first_name or approver.get_username(),
                "author": author,
                "number": version.number,
                "code": document.code,
                "title": document.display_title,
                "name": document.project.name,
                "summary": summary,
                "url": url,
            }
        ),
    )
    transaction.on_commit(lambda: enqueue_send(message.pk))
    return message
