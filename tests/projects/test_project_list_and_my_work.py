import pytest

from tests.factories import UserFactory, make_project, make_task

pytestmark = pytest.mark.django_db


def test_project_list_shows_only_the_users_projects_with_their_role(world, client):
    make_project(lead=UserFactory(username="someone"), name="Not mine")
    client.force_login(world.user("auditor"))
    body = client.get("/projects/").content.decode()
    assert "World project" in body and "Not mine" not in body
    assert "Auditor" in body


def test_outsider_sees_an_empty_state_that_says_what_to_do(world, client):
    client.force_login(world.user("outsider"))
    body = client.get("/projects/").content.decode()
    assert "No projects yet" in body and "Create your first project" in body


def test_my_work_lists_open_tasks_across_projects_overdue_first(world, client):
    me = world.user("contributor")
    other_project = make_project(lead=me, name="Second project")
    later = make_task(world.project, title="Later", assignee=me, due_in=10)
    overdue = make_task(other_project, title="Overdue", assignee=me, due_in=-3)
    undated = make_task(world.project, title="Undated", assignee=me)
    make_task(world.project, title="Done already", assignee=me, due_in=-5, status="done")
    make_task(world.project, title="Someone else's", assignee=world.user("lead"), due_in=-5)
    client.force_login(me)
    response = client.get("/my-work/")
    titles = [t.title for t in response.context["page"]]
    assert titles == [overdue.title, later.title, undated.title]


def test_my_work_drops_tasks_of_projects_the_user_has_left(world, client):
    me = world.user("viewer")
    make_task(world.project, title="Left behind", assignee=me, due_in=1)
    world.project.memberships.filter(user=me).delete()
    client.force_login(me)
    assert list(client.get("/my-work/").context["page"]) == []
