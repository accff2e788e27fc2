"""Comments on a task: who may write, edit and delete them; viewers read; the newest page first."""

import pytest

from projects.models import TaskComment
from tests.factories import make_task

pytestmark = pytest.mark.django_db


def _url(world, task, rest=""):
    return f"/projects/{world.project.pk}/tasks/{task.pk}/{rest}"


def test_a_contributor_comments_and_the_viewer_reads_it_without_a_form(world, client):
    task = make_task(world.project)
    client.force_login(world.user("contributor"))
    assert client.post(_url(world, task, "comments/"), {"body": "  Draft attached.  "}).status_code == 302
    comment = TaskComment.objects.get(task=task)
    assert comment.body == "Draft attached." and comment.author == world.user("contributor")

    client.force_login(world.user("viewer"))
    page = client.get(_url(world, task)).content.decode()
    assert "Draft attached." in page
    assert "Add comment" not in page and "/edit/" not in page.split('id="comments"')[1]
    assert client.post(_url(world, task, "comments/"), {"body": "Me too"}).status_code == 403


def test_a_viewer_may_comment_on_the_task_assigned_to_them(world, client):
    task = make_task(world.project, assignee=world.user("viewer"))
    client.force_login(world.user("viewer"))
    assert "Add comment" in client.get(_url(world, task)).content.decode()
    assert client.post(_url(world, task, "comments/"), {"body": "Approved."}).status_code == 302


def test_an_empty_comment_is_refused_with_a_message(world, client):
    task = make_task(world.project)
    client.force_login(world.user("lead"))
    response = client.post(_url(world, task, "comments/"), {"body": "   "})
    assert response.status_code == 422
    assert "Write something first." in response.content.decode()
    assert not TaskComment.objects.exists()


def test_only_the_author_edits_and_a_stale_edit_is_refused(world, client):
    task = make_task(world.project)
    comment = TaskComment.objects.create(task=task, author=world.user("auditor"), body="First take")
    edit = _url(world, task, f"comments/{comment.pk}/edit/")
    client.force_login(world.user("lead"))
    assert client.get(edit).status_code == 403
    client.force_login(world.user("auditor"))
    assert client.post(edit, {"body": "Second take", "version": 1}).status_code == 302
    comment.refresh_from_db()
    assert comment.body == "Second take" and comment.edited_at and comment.version == 2
    stale = client.post(edit, {"body": "Third take", "version": 1})
    assert stale.status_code == 409
    comment.refresh_from_db()
    assert comment.body == "Second take"


def test_deleting_a_comment_asks_first_and_keeps_it_in_the_history(world, client):
    task = make_task(world.project)
    comment = TaskComment.objects.create(task=task, author=world.user("contributor"), body="Wrong task")
    url = _url(world, task, f"comments/{comment.pk}/delete/")
    client.force_login(world.user("contributor"))
    confirm = client.get(url)
    assert confirm.status_code == 200 and "Delete your comment?" in confirm.content.decode()
    assert TaskComment.objects.filter(pk=comment.pk).exists()
    assert client.post(url).status_code == 302
    assert not TaskComment.objects.filter(pk=comment.pk).exists()
    deleted = TaskComment.history.filter(id=comment.pk, history_type="-").get()
    assert deleted.body == "Wrong task" and deleted.history_user == world.user("contributor")


def test_a_comment_of_another_task_is_not_found_through_this_one(world, client):
    task, other = make_task(world.project), make_task(world.project, title="Other")
    comment = TaskComment.objects.create(task=other, author=world.user("lead"), body="x")
    client.force_login(world.user("lead"))
    assert client.get(_url(world, task, f"comments/{comment.pk}/edit/")).status_code == 404


def test_comments_are_paged_with_the_newest_page_first(world, client):
    task = make_task(world.project)
    TaskComment.objects.bulk_create(
        TaskComment(task=task, author=world.user("lead"), body=f"Comment number {i:02d}") for i in range(45)
    )
    client.force_login(world.user("viewer"))
    newest = client.get(_url(world, task)).content.decode()
    assert newest.count('data-testid="comment"') == 5  # 45 = 20 + 20 + 5: the last page
    assert "Comment number 44" in newest and "Comment number 39" not in newest
    assert "Older comments" in newest and "Page 3 of 3" in newest
    first = client.get(_url(world, task) + "?page=1").content.decode()
    assert first.count('data-testid="comment"') == 20 and "Comment number 00" in first
