import pytest

from tests.factories import make_task

pytestmark = pytest.mark.django_db


def test_task_page_shows_who_changed_what(world, client):
    task = make_task(world.project, title="Before")
    client.force_login(world.user("contributor"))
    client.post(
        f"/projects/{world.project.pk}/tasks/{task.pk}/edit/",
        {
            "title": "After",
            "phase": task.phase_id,
            "priority": "high",
            "status": "open",
            "version": task.version,
        },
    )
    client.force_login(world.user("viewer"))
    response = client.get(f"/projects/{world.project.pk}/tasks/{task.pk}/")
    entries = response.context["history"]
    assert entries[0].who == "contributor" and entries[0].action == "changed"
    changes = {c.field: (c.old, c.new) for c in entries[0].changes}
    assert changes["Title"] == ("Before", "After")
    assert changes["Priority"] == ("Medium", "High")
    assert "contributor" in response.content.decode()


def test_phase_page_shows_owner_changes_by_name(world, client):
    phase = world.project.phases.get(key="2")
    client.force_login(world.user("lead"))
    client.post(
        f"/projects/{world.project.pk}/phases/{phase.pk}/edit/",
        {
            "owner": world.user("contributor").pk,
            "status": "in_progress",
            "planned_start": phase.planned_start,
            "planned_end": phase.planned_end,
            "version": phase.version,
        },
    )
    entries = client.get(f"/projects/{world.project.pk}/phases/{phase.pk}/").context["history"]
    changes = {c.field: (c.old, c.new) for c in entries[0].changes}
    assert changes["Owner"] == ("lead", "contributor")
    assert changes["Status"] == ("Not started", "In progress")


def test_project_history_page_lists_edits(world, client):
    project = world.project
    client.force_login(world.user("lead"))
    client.post(
        f"/projects/{project.pk}/edit/",
        {
            "name": "Renamed project",
            "organisation": project.organisation,
            "standard_edition": project.standard_edition,
            "start_date": project.start_date,
            "target_certification_date": project.target_certification_date,
            "version": project.version,
        },
    )
    body = client.get(f"/projects/{project.pk}/history/").content.decode()
    assert "World project" in body and "Renamed project" in body
