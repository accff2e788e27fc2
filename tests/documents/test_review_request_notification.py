"""Sending a version for review tells its named approver: an e-mail through the outbox (one per
submission, however often the request is repeated), an item in their daily digest."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from documents import notifications, services
from documents.models import VersionStatus, VersionTransition
from kernel.templatetags.dates import day
from notifications.models import OutboxMessage
from notifications.reminders import digest_bodies, reminder_sweep
from tests.factories import add_version, make_document

pytestmark = pytest.mark.django_db


@pytest.fixture
def document(world):
    return make_document(
        world.project,
        code="POL-07",
        title="Supplier policy",
        owner=world.user("contributor"),
        approver=world.user("viewer"),
    )


def review_requests():
    return OutboxMessage.objects.filter(kind="review_request")


def test_submitting_a_version_records_one_e_mail_to_the_approver(
    world, document, django_capture_on_commit_callbacks, monkeypatch
):
    sent = []
    monkeypatch.setattr(notifications, "enqueue_send", sent.append)
    version = add_version(document, world.user("contributor"), change_summary="Scope of suppliers widened")
    with django_capture_on_commit_callbacks(execute=True):
        services.version_submit(version=version, user=world.user("contributor"))
    message = review_requests().get()
    assert message.recipient == world.user("viewer")
    assert message.to_email == world.user("viewer").email
    assert message.subject == "Please approve POL-07 v1: Supplier policy"
    assert "Scope of suppliers widened" in message.body_text
    assert f"/projects/{world.project.pk}/documents/{document.pk}/" in message.body_text
    assert message.status == "pending" and message.day == timezone.localdate()
    assert sent == [message.pk]  # sent after the commit, by the outbox's task


def test_a_double_submit_records_one_message(world, document):
    version = add_version(document, world.user("contributor"))
    services.version_submit(version=version, user=world.user("contributor"))
    with pytest.raises(ValidationError, match="not a draft"):
        services.version_submit(version=version, user=world.user("contributor"))
    submission = VersionTransition.objects.get(version=version, to_status=VersionStatus.IN_REVIEW)
    document.refresh_from_db()
    again = notifications.review_requested(
        document=document, version=version, submission=submission, user=world.user("contributor")
    )  # a retry of the same request
    assert review_requests().count() == 1
    assert again.pk == review_requests().get().pk


def test_a_version_returned_and_sent_again_notifies_again(world, document):
    version = add_version(document, world.user("contributor"))
    services.version_submit(version=version, user=world.user("contributor"))
    services.version_return(version=version, user=world.user("viewer"), comment="Add the scope")
    services.version_submit(version=version, user=world.user("contributor"))
    assert review_requests().count() == 2


def test_an_approver_without_an_address_gets_no_e_mail_but_the_submit_works(world, document):
    viewer = world.user("viewer")
    viewer.email = ""
    viewer.save()
    version = add_version(document, world.user("contributor"))
    services.version_submit(version=version, user=world.user("contributor"))
    version.refresh_from_db()
    assert version.status == VersionStatus.IN_REVIEW
    assert not review_requests().exists()


def test_the_daily_digest_lists_the_version_for_the_approver_only(world, document):
    version = add_version(document, world.user("contributor"))
    services.version_submit(version=version, user=world.user("contributor"))
    today = timezone.localdate()
    reminder_sweep(today=today)
    digest = OutboxMessage.objects.get(kind="digest", recipient=world.user("viewer"))
    text, html = digest_bodies(digest)
    assert "[Approval] Approve POL-07 v1 Supplier policy" in text
    assert f"due {day(today + timedelta(days=5))}" in text  # the one date format (year only if not this year)
    assert "Approve POL-07 v1 Supplier policy" in html
    # the author, who has nothing else due, gets no digest: the approval is not theirs
    assert not OutboxMessage.objects.filter(
        kind="digest", recipient=world.user("contributor")
    ).exists()


def test_once_approved_the_version_leaves_the_digest(world, document):
    add_version(document, world.user("contributor"), status=VersionStatus.APPROVED)
    reminder_sweep(today=timezone.localdate())
    assert not OutboxMessage.objects.filter(kind="digest", recipient=world.user("viewer")).exists()
