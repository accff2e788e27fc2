"""Issue 9 §2.12: every e-mail subject is recorded on one line (one place: the outbox), and a
message that cannot be sent at all is marked failed with its reason instead of raising."""

import pytest
from django.utils import timezone

from kernel.outbox import OutboxStatus, outbox_record, outbox_send

pytestmark = pytest.mark.django_db


def record(world, subject):
    return outbox_record(
        recipient=world.user("viewer"),
        subject_type="project",
        subject_id=world.project.pk,
        kind="monthly_report",
        day=timezone.localdate(),
        subject=subject,
        body_text="Body",
    )


def test_line_breaks_in_a_subject_become_spaces_and_the_message_leaves(world, mailoutbox):
    message = record(world, "Report of “Evil\r\nBcc: x@example.test\u2028name”\t ")
    assert message.subject == "Report of “Evil Bcc: x@example.test name”"
    assert outbox_send(message_id=message.pk) == "sent"
    assert mailoutbox[0].subject == message.subject and not mailoutbox[0].bcc


def test_an_unsendable_message_is_failed_with_its_reason(world, mailoutbox):
    message = record(world, "Fine")
    type(message).objects.filter(pk=message.pk).update(to_email="a@example.test\nBcc: b@example.test")
    assert outbox_send(message_id=message.pk) == "failed"
    message.refresh_from_db()
    assert message.status == OutboxStatus.FAILED and message.last_error and not mailoutbox


def test_a_very_long_subject_is_cut_on_one_line(world):
    message = record(world, "word\n" * 200)
    assert len(message.subject) <= 250 and "\n" not in message.subject and message.subject.endswith("…")
