"""Tasks are created, edited and completed inline on the phase page (HTMX)."""

import json

import pytest

from projects.models import Task, TaskStatus
from tests.factories import UserFactory, add_member, make_project, make_task

pytestmark = pytest.mark.django_db
HX = {"HTTP_HX_REQUEST": "true"}


def test_quick_add_returns_the_new_row_and_announces_progress(world, client):
    client.force_login(world.user("lead"))
    phase = world.project.phases.get(key="4")
    response = client.post(
        f"/projects/{world.project.pk}/tasks/new/",
        {
            "phase_id": phase.pk,
            "title": "Draft the scope",
            "assignee": world.user("contributor").pk,
            "priority": "high",
        },
        **HX,
    )
    assert response.status_code == 200
    task = Task.objects.get(title="Draft the scope")
    assert f'id="task-{task.pk}"' in response.content.decode()
    assert json.loads(response["HX-Trigger"]) == {"progressChanged": {}, "taskCreated": {}}
    assert (
        task.phase == phase
        and task.assignee == world.user("contributor")
        and task.created_by == world.user("lead")
    )


def test_completing_a_task_updates_phase_and_project_progress(world, client, progress_refresh_inline):
    client.force_login(world.user("lead"))
    phase = world.project.phases.get(key="8")  # only tasks count here; other phases also count documents etc.
    first = make_task(world.project, phase=phase, title="one")
    make_task(world.project, phase=phase, title="two")
    from projects.services import project_progress_refresh

    project_progress_refresh(project=world.project)
    response = client.post(f"/projects/{world.project.pk}/tasks/{first.pk}/complete/", {"done": "1"}, **HX)
    assert response.status_code == 200
    first.refresh_from_db()
    phase.refresh_from_db()
    world.project.refresh_from_db()
    assert first.status == TaskStatus.DONE and first.completed_by == world.user("lead")
    assert phase.progress == 50
    assert world.project.progress > 0
    assert 'id="phase-progress" hx-swap-oob="true"' in response.content.decode()


def test_completing_twice_is_harmless_and_reopening_clears_completion(world, client):
    client.force_login(world.user("contributor"))
    task = make_task(world.project, assignee=world.user("contributor"))
    url = f"/projects/{world.project.pk}/tasks/{task.pk}/complete/"
    client.post(url, {"done": "1"}, **HX)
    client.post(url, {"done": "1"}, **HX)
    task.refresh_from_db()
    assert task.status == TaskStatus.DONE and task.version == 2
    client.post(url, {"done": "0"}, **HX)
    task.refresh_from_db()
    assert task.status == TaskStatus.OPEN and task.completed_at is None


def test_inline_edit_saves_and_returns_the_row(world, client):
    client.force_login(world.user("contributor"))
    task = make_task(world.project, title="Old title")
    response = client.post(
        f"/projects/{world.project.pk}/tasks/{task.pk}/edit/",
        {
            "inline": "1",
            "title": "New title",
            "phase": task.phase_id,
            "priority": "low",
            "status": "in_progress",
            "version": task.version,
        },
        **HX,
    )
    assert response.status_code == 200
    assert "New title" in response.content.decode()
    task.refresh_from_db()
    assert (task.title, task.priority, task.status, task.version) == ("New title", "low", "in_progress", 2)


def test_quick_add_with_an_empty_title_answers_422_with_the_form(world, client):
    client.force_login(world.user("lead"))
    phase = world.project.phases.get(key="4")
    response = client.post(
        f"/projects/{world.project.pk}/tasks/new/",
        {"phase_id": phase.pk, "title": "   ", "priority": "medium"},
        **HX,
    )
    assert response.status_code == 422
    assert response["HX-Retarget"] == "#quick-task-form"
    assert (
        "This field is required" in response.content.decode() or "needs a title" in response.content.decode()
    )
    assert not Task.objects.exists()


def test_viewer_completes_own_task_but_not_others(world, client):
    client.force_login(world.user("viewer"))
    own = make_task(world.project, assignee=world.user("viewer"))
    other = make_task(world.project, assignee=world.user("contributor"))
    assert (
        client.post(f"/projects/{world.project.pk}/tasks/{own.pk}/complete/", {"done": "1"}).status_code
        == 302
    )
    assert (
        client.post(f"/projects/{world.project.pk}/tasks/{other.pk}/complete/", {"done": "1"}).status_code
        == 403
    )
    other.refresh_from_db()
    assert other.status == TaskStatus.OPEN


def test_a_task_of_another_project_is_not_found(world, client):
    elsewhere = make_project(lead=UserFactory(username="otherlead"), name="Elsewhere")
    foreign = make_task(elsewhere)
    client.force_login(world.user("lead"))
    for suffix in ("", "edit/", "row/", "delete/"):
        assert client.get(f"/projects/{world.project.pk}/tasks/{foreign.pk}/{suffix}").status_code == 404
    assert client.post(f"/projects/{world.project.pk}/tasks/{foreign.pk}/complete/").status_code == 404


def test_ids_that_do_not_exist_give_404(world, client):
    client.force_login(world.user("lead"))
    p = world.project.pk
    assert client.get(f"/projects/{p}/tasks/999999/").status_code == 404
    assert client.get(f"/projects/{p}/phases/999999/").status_code == 404
    assert client.get("/projects/999999/").status_code == 404
    assert client.get(f"/projects/{p}/tasks/new/?phase=abc").status_code == 404
    response = client.post(f"/projects/{p}/tasks/new/", {"phase_id": "999999", "title": "x"}, **HX)
    assert response.status_code == 404


def test_assignee_from_another_project_is_a_form_error(world, client):
    stranger = UserFactory(username="stranger")
    add_member(make_project(lead=UserFactory(username="lead2"), name="Other"), stranger)
    client.force_login(world.user("lead"))
    phase = world.project.phases.get(key="4")
    response = client.post(
        f"/projects/{world.project.pk}/tasks/new/",
        {
            "title": "Sneaky",
            "phase": phase.pk,
            "assignee": stranger.pk,
            "priority": "medium",
            "status": "open",
        },
    )
    assert response.status_code == 422
    assert "Select a valid choice" in response.content.decode()
    assert not Task.objects.filter(title="Sneaky").exists()


def test_phase_of_another_project_is_a_form_error(world, client):
    other = make_project(lead=UserFactory(username="lead3"), name="Other")
    client.force_login(world.user("lead"))
    response = client.post(
        f"/projects/{world.project.pk}/tasks/new/",
        {"title": "Cross", "phase": other.phases.first().pk, "priority": "medium", "status": "open"},
    )
    assert response.status_code == 422
    assert not Task.objects.filter(title="Cross").exists()


def test_due_date_before_start_date_is_a_form_error(world, client):
    client.force_login(world.user("lead"))
    response = client.post(
        f"/projects/{world.project.pk}/tasks/new/",
        {
            "title": "Backwards",
            "phase": world.project.phases.first().pk,
            "priority": "medium",
            "status": "open",
            "start_date": "2027-05-10",
            "due_date": "2027-05-01",
        },
    )
    assert response.status_code == 422
    assert "cannot be before the start date" in response.content.decode()
    assert not Task.objects.filter(title="Backwards").exists()


def test_garbage_in_choice_and_date_fields_is_a_form_error(world, client):
    client.force_login(world.user("lead"))
    response = client.post(
        f"/projects/{world.project.pk}/tasks/new/",
        {
            "title": "Garbage",
            "phase": "not-a-number",
            "priority": "urgent!",
            "status": "open",
            "due_date": "31/02/2027",
        },
    )
    assert response.status_code == 422
    assert not Task.objects.filter(title="Garbage").exists()
