"""Issue 9 §2.6: final management-review minutes keep their actions when the task behind one
is deleted or edited afterwards."""

import pytest
from django.template.loader import render_to_string

from audits.reporting import build_review_pack
from audits.reviews import review_action_create
from projects.models import Task
from tests.factories import finalise_review, make_review

pytestmark = pytest.mark.django_db


def final_review_with_action(world):
    lead = world.user("lead")
    review = make_review(world.project, user=lead, attendees=[world.user("viewer")])
    review_action_create(
        review=review, user=lead, title="Budget a second auditor", assignee=world.user("contributor")
    )
    return finalise_review(review, user=lead, decisions="Hire.")


def test_deleting_the_task_of_a_final_action_keeps_it_in_the_minutes(world, client):
    review = final_review_with_action(world)
    task = Task.objects.get(title="Budget a second auditor")
    client.force_login(world.user("lead"))
    assert client.post(f"/projects/{world.project.pk}/tasks/{task.pk}/delete/").status_code in (200, 302)
    assert not Task.objects.filter(pk=task.pk).exists()

    page = client.get(review.get_absolute_url()).content.decode()
    assert "Budget a second auditor" in page and "contributor" in page and "task deleted" in page
    pack = build_review_pack(world.project, subject_id=review.pk, today=None)
    assert [(a.shown_title, a.shown_assignee) for a in pack["actions"]] == [
        ("Budget a second auditor", "contributor")
    ]
    html = render_to_string("reports/review_pack.html", pack)
    assert "Budget a second auditor" in html and "Task deleted" in html


def test_editing_the_task_later_does_not_rewrite_final_minutes(world, client):
    review = final_review_with_action(world)
    Task.objects.filter(title="Budget a second auditor").update(title="Something else", assignee=None)
    client.force_login(world.user("viewer"))
    page = client.get(review.get_absolute_url()).content.decode()
    assert "Budget a second auditor" in page and "Something else" not in page
