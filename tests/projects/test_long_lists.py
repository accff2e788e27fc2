"""The phase page shows its tasks a page at a time; the project list counts tasks for the projects
on its page only, and those counts stay right on every page."""

import re

import pytest

from projects.models import Task, TaskStatus
from tests.factories import UserFactory, add_member, make_project

pytestmark = pytest.mark.django_db


def test_phase_page_shows_its_tasks_a_page_at_a_time(client):
    lead = UserFactory(username="phase-pages")
    project = make_project(lead=lead)
    phase = project.phases.get(key="5")
    Task.objects.bulk_create(
        Task(project=project, phase=phase, title=f"Task {i:02d}", due_date=project.start_date)
        for i in range(55)
    )
    client.force_login(lead)
    url = f"/projects/{project.pk}/phases/{phase.pk}/"
    first = client.get(url).content.decode()
    second = client.get(url + "?page=2").content.decode()
    assert len(re.findall(r'<tr id="task-\d+"', first)) == 50
    assert len(re.findall(r'<tr id="task-\d+"', second)) == 5
    assert "Page 1 of 2" in first and "Page 2 of 2" in second
    titles = set(re.findall(r">(Task \d\d)</a>", first + second))
    assert len(titles) == 55


def test_project_list_counts_the_tasks_of_the_projects_on_each_page(client):
    user = UserFactory(username="many-projects")
    client.force_login(user)
    for index in range(27):  # 25 a page: two pages
        project = make_project(lead=UserFactory(username=f"lead-{index}"), name=f"Project {index:02d}")
        add_member(project, user)
        phase = project.phases.get(key="5")
        Task.objects.bulk_create(
            [Task(project=project, phase=phase, title="t", due_date="2020-01-01") for _ in range(index)]
            + [Task(project=project, phase=phase, title="t", status=TaskStatus.DONE) for _ in range(2)]
        )
    first = client.get("/projects/").content.decode()
    second = client.get("/projects/?page=2").content.decode()

    def counts(html):
        return {
            name: (int(open_), overdue)
            for name, open_, overdue in re.findall(
                r'>(Project \d\d)</a>.*?<td class="text-end">(\d+)</td>\s*<td class="text-end">(.*?)</td>',
                html,
                re.S,
            )
        }

    shown = counts(first) | counts(second)
    assert len(shown) == 27
    for index in range(27):
        open_, overdue = shown[f"Project {index:02d}"]
        assert open_ == index
        assert (str(index) in overdue) if index else overdue == "0"
