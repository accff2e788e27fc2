"""Two people editing the same record: the later save is refused, nothing is overwritten."""

import pytest

from projects.models import Task
from tests.factories import make_task

pytestmark = pytest.mark.django_db


def _post(client, world, task, title, version):
    return client.post(
        f"/projects/{world.project.pk}/tasks/{task.pk}/edit/",
        {"title": title, "phase": task.phase_id, "priority": "medium", "status": "open", "version": version},
    )


def test_the_later_save_of_a_task_is_refused_and_shows_the_current_value(world, client):
    task = make_task(world.project, title="Original")
    seen_version = task.version
    client.force_login(world.user("lead"))
    assert _post(client, world, task, "Lead's title", seen_version).status_code == 302
    client.force_login(world.user("contributor"))
    response = _post(client, world, task, "Contributor's title", seen_version)
    assert response.status_code == 409
    body = response.content.decode()
    assert "Someone else saved this task" in body
    assert 'name="version" value="2"' in body  # re-submitting carries the saved version
    assert "Lead&#x27;s title" in body or "Lead's title" in body
    assert Task.objects.get(pk=task.pk).title == "Lead's title"


def test_the_later_save_of_a_project_is_refused(world, client):
    project = world.project
    client.force_login(world.user("lead"))
    data = {
        "name": "First",
        "organisation": "Org",
        "standard_edition": "ISO/IEC 20000-1:2018",
        "start_date": project.start_date.isoformat(),
        "target_certification_date": project.target_certification_date.isoformat(),
        "version": project.version,
    }
    assert client.post(f"/projects/{project.pk}/edit/", data).status_code == 302
    response = client.post(f"/projects/{project.pk}/edit/", {**data, "name": "Second"})
    assert response.status_code == 409
    project.refresh_from_db()
    assert project.name == "First"


def test_the_later_save_of_a_phase_is_refused(world, client):
    phase = world.project.phases.get(key="1")
    client.force_login(world.user("lead"))
    data = {
        "owner": world.user("lead").pk,
        "status": "in_progress",
        "planned_start": phase.planned_start.isoformat(),
        "planned_end": phase.planned_end.isoformat(),
        "notes": "first",
        "version": phase.version,
    }
    url = f"/projects/{world.project.pk}/phases/{phase.pk}/edit/"
    assert client.post(url, data).status_code == 302
    response = client.post(url, {**data, "notes": "second"})
    assert response.status_code == 409
    phase.refresh_from_db()
    assert phase.notes == "first"
