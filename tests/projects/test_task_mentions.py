"""@mentions in task comments: each mentioned member gets one e-mail per comment, through the
outbox; saving the comment again tells nobody twice, and people outside the project are not told."""

import pytest
from django.db import transaction

from kernel.outbox import outbox_send
from notifications.models import OutboxMessage
from projects import comments
from projects.models import TaskComment
from tests.factories import UserFactory, make_task

pytestmark = pytest.mark.django_db


def _mentions(comment=None):
    rows = OutboxMessage.objects.filter(kind="mention")
    return rows.filter(subject_id=comment.pk) if comment else rows


def _post(client, world, task, body, role="contributor"):
    client.force_login(world.user(role))
    return client.post(f"/projects/{world.project.pk}/tasks/{task.pk}/comments/", {"body": body})


def test_a_mentioned_member_gets_exactly_one_outbox_message(
    world, client, django_capture_on_commit_callbacks
):
    task = make_task(world.project, title="Write the continuity plan")
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = _post(client, world, task, "@lead and @Auditor: please review. Thanks @lead!")
    assert response.status_code == 302
    comment = TaskComment.objects.get(task=task)
    assert response["Location"].endswith(f"/tasks/{task.pk}/#comment-{comment.pk}")
    rows = _mentions(comment)
    assert sorted(rows.values_list("recipient__username", flat=True)) == ["auditor", "lead"]
    lead_mail = rows.get(recipient=world.user("lead"))
    assert lead_mail.to_email == "lead@example.test" and lead_mail.subject_type == "task_comment"
    assert "Write the continuity plan" in lead_mail.subject
    assert "please review" in lead_mail.body_text and f"#comment-{comment.pk}" in lead_mail.body_text
    sends = [c for c in callbacks if "_notify_mentions" in c.__qualname__]
    assert len(sends) == 2  # one send per message, queued after the commit (the page cache adds its own)


def test_saving_the_comment_again_tells_nobody_twice_and_tells_a_new_mention_once(world, client, mailoutbox):
    task = make_task(world.project)
    comment = comments.comment_add(task=task, user=world.user("contributor"), body="Over to @lead.")
    first = list(_mentions(comment).values_list("pk", flat=True))
    assert len(first) == 1

    comment = comments.comment_update(
        comment=comment, user=world.user("contributor"), expected_version=1, body="Over to @lead, not me."
    )
    assert list(_mentions(comment).values_list("pk", flat=True)) == first

    comments.comment_update(
        comment=comment, user=world.user("contributor"), expected_version=2, body="Over to @lead and @viewer."
    )
    assert sorted(_mentions(comment).values_list("recipient__username", flat=True)) == ["lead", "viewer"]

    for message in _mentions(comment):
        outbox_send(message_id=message.pk)
        outbox_send(message_id=message.pk)  # a retried send sends nothing more
    assert sorted(mail.to[0] for mail in mailoutbox) == ["lead@example.test", "viewer@example.test"]


def test_non_members_the_author_and_e_mail_addresses_are_not_notified(world, client):
    stranger = UserFactory(username="stranger")
    task = make_task(world.project)
    response = _post(
        client,
        world,
        task,
        "Ask @stranger, write to someone@lead.example or mail@lead; note to self @contributor; @nobody",
    )
    assert response.status_code == 302
    assert not _mentions().exists()
    assert not OutboxMessage.objects.filter(recipient=stranger).exists()


def test_a_mention_at_the_end_of_a_sentence_is_found(world):
    task = make_task(world.project)
    comment = comments.comment_add(task=task, user=world.user("lead"), body="Done, thanks @contributor.")
    assert list(_mentions(comment).values_list("recipient__username", flat=True)) == ["contributor"]


def test_two_adds_in_one_transaction_of_the_same_comment_key_insert_one_row(world):
    """The outbox's unique key is the guard: recording the same mention twice inserts one row."""
    task = make_task(world.project)
    comment = comments.comment_add(task=task, user=world.user("lead"), body="@auditor see this")
    with transaction.atomic():
        comments._notify_mentions(comment, task, author=world.user("lead"))
        comments._notify_mentions(comment, task, author=world.user("lead"))
    assert _mentions(comment).count() == 1


def test_the_task_page_marks_the_mentions(world, client):
    task = make_task(world.project)
    comments.comment_add(task=task, user=world.user("lead"), body="<b>Hi</b> @auditor, and @stranger.")
    client.force_login(world.user("viewer"))
    html = client.get(f"/projects/{world.project.pk}/tasks/{task.pk}/").content.decode()
    assert '<span class="mention">@auditor</span>' in html
    assert "@stranger." in html and '<span class="mention">@stranger' not in html
    assert "&lt;b&gt;Hi&lt;/b&gt;" in html
