"""The task list filter: assignee (me, nobody, a member), phase, status and due date (overdue, this
week, none, a range); a filter that makes no sense is refused with its message."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from projects.models import Task, TaskStatus
from tests.factories import UserFactory, make_project, make_task

pytestmark = pytest.mark.django_db


@pytest.fixture
def tasks(world):
    p, u = world.project, world.user
    phase5, phase6 = p.phases.get(key="5"), p.phases.get(key="6")
    return {
        "late-mine": make_task(p, title="Late mine", assignee=u("contributor"), due_in=-3, phase=phase5),
        "late-nobody": make_task(p, title="Late nobody", due_in=-10, phase=phase6),
        "soon-lead": make_task(p, title="Soon lead", assignee=u("lead"), due_in=2, phase=phase6),
        "week-end": make_task(p, title="Week end", assignee=u("auditor"), due_in=7, phase=phase5),
        "later": make_task(p, title="Later", assignee=u("contributor"), due_in=40, phase=phase6),
        "no-date": make_task(p, title="No date", phase=phase5, status=TaskStatus.IN_PROGRESS),
        "done-late": make_task(
            p, title="Done late", assignee=u("contributor"), due_in=-20, phase=phase5, status=TaskStatus.DONE
        ),
    }


def _titles(client, world, query="", role="lead", status=200):
    client.force_login(world.user(role))
    response = client.get(f"/projects/{world.project.pk}/tasks/{query}")
    assert response.status_code == status, response.content.decode()[:500]
    return set(re.findall(r'class="task-title"[^>]*>([^<]+)</a>', response.content.decode()))


def test_the_list_opens_on_the_work_not_done(world, client, tasks):
    assert _titles(client, world) == {"Late mine", "Late nobody", "Soon lead", "Week end", "Later", "No date"}
    assert "Done late" in _titles(client, world, "?status=all")
    assert _titles(client, world, "?status=done") == {"Done late"}
    assert _titles(client, world, "?status=in_progress") == {"No date"}


def test_filter_by_assignee_me_nobody_or_a_member(world, client, tasks):
    contributor = world.user("contributor").pk
    assert _titles(client, world, f"?assignee={contributor}") == {"Late mine", "Later"}
    assert _titles(client, world, f"?assignee={contributor}&status=all") == {
        "Late mine",
        "Later",
        "Done late",
    }
    assert _titles(client, world, "?assignee=none") == {"Late nobody", "No date"}
    assert _titles(client, world, "?assignee=me", role="auditor") == {"Week end"}
    assert _titles(client, world, "?show=mine", role="contributor") == {"Late mine", "Later", "Done late"}


def test_filter_by_phase(world, client, tasks):
    phase6 = world.project.phases.get(key="6").pk
    assert _titles(client, world, f"?phase={phase6}") == {"Late nobody", "Soon lead", "Later"}


def test_filter_by_due_date(world, client, tasks):
    today = timezone.localdate()
    assert _titles(client, world, "?due=overdue") == {"Late mine", "Late nobody"}
    assert _titles(client, world, "?due=overdue&status=all") == {
        "Late mine",
        "Late nobody",
    }  # done is not late
    assert _titles(client, world, "?due=week") == {"Soon lead", "Week end"}
    assert _titles(client, world, "?due=none") == {"No date"}
    start, end = today - timedelta(days=5), today + timedelta(days=3)
    assert _titles(client, world, f"?due_from={start}&due_to={end}") == {"Late mine", "Soon lead"}
    assert _titles(client, world, f"?due_from={today + timedelta(days=30)}") == {"Later"}


def test_filters_combine(world, client, tasks):
    phase5 = world.project.phases.get(key="5").pk
    contributor = world.user("contributor").pk
    assert _titles(client, world, f"?phase={phase5}&assignee={contributor}&due=overdue") == {"Late mine"}


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("?phase=999999", "Select a valid choice"),
        ("?assignee=999999", "Select a valid choice"),
        ("?status=archived", "Select a valid choice"),
        ("?due=someday", "Select a valid choice"),
        ("?due_from=2026-02-30", "Enter a valid date"),
        ("?due_from=2026-05-01&due_to=2026-04-01", "cannot be before its start"),
        ("?due_to=9999-12-31", "on or before"),
    ],
)
def test_a_filter_that_makes_no_sense_is_refused_with_its_message(world, client, tasks, query, message):
    client.force_login(world.user("lead"))
    response = client.get(f"/projects/{world.project.pk}/tasks/{query}")
    assert response.status_code == 400
    html = response.content.decode()
    assert message in html and "Fix the filter" in html
    assert 'class="task-title"' not in html


def test_another_projects_phase_and_people_are_not_choices(world, client, tasks):
    stranger = UserFactory(username="stranger")
    other = make_project(lead=stranger, name="Other")
    other_phase = other.phases.get(key="5").pk
    _titles(client, world, f"?phase={other_phase}", status=400)
    _titles(client, world, f"?assignee={stranger.pk}", status=400)


def test_pages_keep_the_filter(world, client):
    phase = world.project.phases.get(key="7")
    Task.objects.bulk_create(
        Task(project=world.project, phase=phase, title=f"Bulk {i:02d}", assignee=None) for i in range(30)
    )
    client.force_login(world.user("lead"))
    first = client.get(f"/projects/{world.project.pk}/tasks/?assignee=none").content.decode()
    assert "30 tasks" in first and "Page 1 of 2" in first
    assert "?assignee=none&amp;page=2" in first or "?assignee=none&page=2" in first
    second = client.get(f"/projects/{world.project.pk}/tasks/?assignee=none&page=2").content.decode()
    assert second.count('class="task-title"') == 5
