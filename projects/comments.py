"""Comments on tasks, and the e-mail that tells a member they were @mentioned in one.

A mention is `@username` of a member of the project. Each mentioned member gets one e-mail per
comment, through the outbox: the outbox key is (recipient, this comment, "mention", the comment's
day), so saving the comment again — an edit, a retried request — records nothing new for the
people already told, and a member added to the text by an edit is told once.
"""

import re

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from kernel import pagecache
from kernel.concurrency import lock_for_edit

from .models import COMMENT_MAX_LENGTH, Task, TaskComment

User = get_user_model()

# `@name` not glued to a word before it (so "mail@example.org" mentions nobody); the characters
# Django allows in a username. Punctuation that ends a sentence is trimmed by mentioned_members().
MENTION = re.compile(r"(?<![\w.@+-])@([\w.@+-]+)")
MENTION_SUBJECT_TYPE = "task_comment"


def mention_candidates(text: str) -> set[str]:
    """The lower-cased names written after an @, each also without trailing punctuation."""
    found = set()
    for raw in MENTION.findall(text or ""):
        found.add(raw.lower())
        found.add(raw.rstrip(".-+@").lower())
    found.discard("")
    return found


def mentioned_members(*, project_id: int, text: str) -> list:
    """The members of the project the text mentions, in one query (none when it mentions nobody)."""
    candidates = mention_candidates(text)
    if not candidates:
        return []
    # Usernames are matched case-insensitively, as people type them.
    return list(
        User.objects.filter(memberships__project_id=project_id)
        .annotate(lower_username=Lower("username"))
        .filter(lower_username__in=candidates)
        .order_by("pk")
    )


def _display_name(user) -> str:
    return (user.get_full_name() or user.get_username()) if user else _("Someone")


def _notify_mentions(comment: TaskComment, task: Task, *, author) -> list[int]:
    """Record one mention e-mail per newly mentioned member and send each after commit; returns
    the ids of the messages recorded now."""
    from kernel.i18n import each_in_language
    from kernel.outbox import OutboxMessage, enqueue_send, outbox_record_many

    people = [
        user
        for user in mentioned_members(project_id=task.project_id, text=comment.body)
        if user.pk != getattr(author, "pk", None) and user.email
    ]
    if not people:
        return []
    mine = OutboxMessage.objects.filter(
        subject_type=MENTION_SUBJECT_TYPE, subject_id=comment.pk, kind="mention"
    )
    told = set(mine.values_list("recipient_id", flat=True))
    people = [user for user in people if user.pk not in told]
    if not people:
        return []
    name = _display_name(author)
    link = settings.SITE_URL + reverse("projects:task_detail", args=[task.project_id, task.pk])
    link += f"#comment-{comment.pk}"
    excerpt = comment.body if len(comment.body) <= 1500 else comment.body[:1500].rstrip() + "…"
    day = timezone.localdate(comment.created_at)
    outbox_record_many(
        [
            OutboxMessage(
                recipient=user,
                subject_type=MENTION_SUBJECT_TYPE,
                subject_id=comment.pk,
                kind="mention",
                day=day,
                to_email=user.email,
                subject=_("%(name)s mentioned you on “%(task)s”") % {"name": name, "task": task.title},
                body_text=_(
                    "Hello %(recipient)s,\n\n%(name)s mentioned you in a comment on the task "
                    "“%(task)s” of the project “%(project)s”:\n\n%(excerpt)s\n\n"
                    "Open the task to answer:\n%(link)s\n"
                )
                % {
                    "recipient": _display_name(user),
                    "name": name,
                    "task": task.title,
                    "project": task.project.name,
                    "excerpt": excerpt,
                    "link": link,
                },
            )
            for user in each_in_language(people)  # each e-mail in its recipient's language
        ]
    )
    recorded = list(mine.filter(recipient__in=people).values_list("pk", flat=True))
    for message_id in recorded:
        transaction.on_commit(lambda message_id=message_id: enqueue_send(message_id))
    return recorded


def _clean_body(body: str) -> str:
    body = (body or "").strip()
    if not body:
        raise ValidationError({"body": _("Write something first.")})
    if len(body) > COMMENT_MAX_LENGTH:
        raise ValidationError(
            {"body": _("A comment holds at most %(count)d characters.") % {"count": COMMENT_MAX_LENGTH}}
        )
    if "\x00" in body:
        raise ValidationError({"body": _("The text holds a character that cannot be stored (NUL).")})
    return body


@transaction.atomic
def comment_add(*, task: Task, user, body: str) -> TaskComment:
    from .services import activity_record

    comment = TaskComment(task=task, author=user, body=_clean_body(body))
    comment.full_clean()
    comment.save()
    _notify_mentions(comment, task, author=user)
    activity_record(
        project=task.project,
        actor=user,
        verb="commented",
        message=gettext_noop("Comment on “%(title)s”"),
        values={"title": task.title},
        url=comment.get_absolute_url(),
    )
    return comment


@transaction.atomic
def comment_update(*, comment: TaskComment, user, expected_version: int, body: str) -> TaskComment:
    comment = lock_for_edit(TaskComment, comment.pk, expected_version=expected_version)
    comment.body = _clean_body(body)
    comment.edited_at = timezone.now()
    comment.version += 1
    comment._history_user = user
    comment.full_clean()
    comment.save()
    task = Task.objects.select_related("project").get(pk=comment.task_id)
    pagecache.project_changed(task.project_id)
    _notify_mentions(comment, task, author=user)  # only members newly mentioned by the edit
    return comment


@transaction.atomic
def comment_delete(*, comment: TaskComment, user) -> None:
    comment._history_user = user  # the history row keeps who removed it, and the text
    comment.delete()
    pagecache.project_changed(comment.task.project_id)
