"""Task writes through the API use the projects services: create, update with optimistic locking
(a stale version gets 409 with the current task), complete and reopen."""

from projects.models import Activity, Task
from tests.api.conftest import url
from tests.factories import make_task


def test_contributor_creates_a_task(api, world):
    phase = world.project.phases.get(key="6")
    response = api(world.user("contributor")).post(
        url(world.project, "tasks/"),
        {
            "phase": phase.pk,
            "title": "  Write the SLA  ",
            "assignee": world.user("viewer").pk,
            "due_date": "2031-05-01",
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    task = Task.objects.get(pk=body["id"])
    assert (
        task.title == "Write the SLA" and task.phase == phase and task.created_by == world.user("contributor")
    )
    assert body["assignee"]["username"] == "viewer" and body["phase_key"] == "6" and body["version"] == 1
    assert Activity.objects.filter(project=world.project, verb="task created").exists()


def test_create_needs_a_phase_of_this_project(api, world):
    from tests.factories import UserFactory, make_project

    other = make_project(lead=UserFactory(), name="Other")
    response = api(world.user("lead")).post(
        url(world.project, "tasks/"), {"phase": other.phases.first().pk, "title": "X"}, format="json"
    )
    assert response.status_code == 422 and "phase" in response.json()["errors"]
    assert not Task.objects.filter(project=world.project).exists()


def test_update_with_the_current_version_saves(api, world):
    task = make_task(world.project, title="Old")
    response = api(world.user("lead")).patch(
        url(world.project, f"tasks/{task.pk}/"), {"title": "New", "version": 1}, format="json"
    )
    assert response.status_code == 200
    assert response.json()["title"] == "New" and response.json()["version"] == 2


def test_stale_version_gets_409_with_the_current_task(api, world):
    task = make_task(world.project, title="Old")
    client = api(world.user("lead"))
    client.patch(url(world.project, f"tasks/{task.pk}/"), {"title": "First", "version": 1}, format="json")
    response = client.patch(
        url(world.project, f"tasks/{task.pk}/"), {"title": "Second", "version": 1}, format="json"
    )
    assert response.status_code == 409
    assert response["Content-Type"] == "application/problem+json"
    body = response.json()
    assert body["current"]["title"] == "First" and body["current"]["version"] == 2
    task.refresh_from_db()
    assert task.title == "First"


def test_update_without_version_is_refused(api, world):
    task = make_task(world.project, title="Old")
    response = api(world.user("lead")).patch(
        url(world.project, f"tasks/{task.pk}/"), {"title": "X"}, format="json"
    )
    assert response.status_code == 422 and "version" in response.json()["errors"]


def test_complete_and_reopen(api, world):
    task = make_task(world.project, assignee=world.user("viewer"))
    client = api(world.user("viewer"))  # the assignee completes their own task
    done = client.post(url(world.project, f"tasks/{task.pk}/complete/"), {}, format="json")
    assert done.status_code == 200 and done.json()["status"] == "done" and done.json()["completed_at"]
    again = client.post(url(world.project, f"tasks/{task.pk}/complete/"), {}, format="json")
    assert again.json()["version"] == done.json()["version"]  # completing a done task changes nothing
    reopened = client.post(url(world.project, f"tasks/{task.pk}/complete/"), {"done": False}, format="json")
    assert reopened.json()["status"] == "open" and reopened.json()["completed_at"] is None


def test_viewer_cannot_complete_someone_elses_task(api, world):
    task = make_task(world.project, assignee=world.user("contributor"))
    response = api(world.user("viewer")).post(
        url(world.project, f"tasks/{task.pk}/complete/"), {}, format="json"
    )
    assert response.status_code == 403
    task.refresh_from_db()
    assert task.status == "open"


def test_create_needs_a_phase_and_a_title(api, world):
    response = api(world.user("lead")).post(url(world.project, "tasks/"), {"priority": "low"}, format="json")
    assert response.status_code == 422
    assert set(response.json()["errors"]) == {"phase", "title"}
