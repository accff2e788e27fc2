"""With the Redis cache production uses: a project's cached parts survive other people's work.

Editing a task in project A leaves project B's parts warm, and so does someone signing in; the
edit clears A's parts at once, for every role (each seeing what a fresh render shows them)."""

import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from projects.models import Role, Task
from tests.conftest import clear_cache
from tests.factories import UserFactory, add_member, make_project, make_task

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("redis_cache")]

TOKEN = re.compile(r'(csrfmiddlewaretoken" value="|"X-CSRFToken": ")[^"]+')


def _html(response):
    assert response.status_code == 200
    return TOKEN.sub(r"\1…", response.content.decode())


def _view(client, url):
    """The page and how many queries it cost."""
    with CaptureQueriesContext(connection) as queries:
        html = _html(client.get(url))
    return html, len(queries)


def _pages(project):
    p = f"/projects/{project.pk}"
    return [f"{p}/", f"{p}/tasks/", f"{p}/roadmap/", f"{p}/phases/{project.phases.get(key='5').pk}/"]


@pytest.fixture
def two_projects():
    lead_a, lead_b, viewer = UserFactory(), UserFactory(), UserFactory()
    a = make_project(lead=lead_a, name="Project A")
    b = make_project(lead=lead_b, name="Project B")
    add_member(a, viewer, Role.VIEWER)
    add_member(b, viewer, Role.VIEWER)
    task = make_task(a, title="Before the edit", assignee=lead_a, due_in=5)
    make_task(b, title="In project B", due_in=5)
    return a, b, lead_a, lead_b, viewer, task


def _client(user):
    client = Client()
    client.force_login(user)
    return client


def _warm(client, urls):
    """Each page viewed until its parts are cached: what it shows and costs then."""
    seen = {}
    for url in urls:
        _view(client, url)
        seen[url] = _view(client, url)
    return seen


def _edit_task(client, task, title):
    task.refresh_from_db()
    data = {
        "title": title,
        "phase": task.phase_id,
        "assignee": task.assignee_id or "",
        "start_date": "",
        "due_date": task.due_date.isoformat() if task.due_date else "",
        "priority": task.priority,
        "status": task.status,
        "description": task.description,
        "version": task.version,
    }
    response = client.post(f"/projects/{task.project_id}/tasks/{task.pk}/edit/", data)
    assert response.status_code == 302, response.content.decode()[:500]
    assert Task.objects.get(pk=task.pk).title == title


def test_an_edit_in_one_project_leaves_the_other_projects_parts_warm(two_projects):
    a, b, lead_a, lead_b, viewer, task = two_projects
    for reader in (lead_b, viewer):
        client = _client(reader)
        before = _warm(client, _pages(b))
        _edit_task(_client(lead_a), task, f"Edited while {reader.username} read B")
        after = {url: _view(client, url) for url in _pages(b)}
        assert after == before, "same page, same (cached) cost"


def test_someone_signing_in_leaves_every_projects_parts_warm(two_projects):
    a, b, lead_a, lead_b, viewer, task = two_projects
    client = _client(lead_b)
    before = _warm(client, _pages(b))
    newcomer = UserFactory(username="signs-in")
    for _ in range(2):  # a first sign-in (last_login written) and a second the same day
        visitor = Client()
        response = visitor.post(
            "/accounts/login/", {"login": newcomer.username, "password": "pw-for-tests-1"}
        )
        assert response.status_code == 302
    lead_a_client = Client()
    assert (
        lead_a_client.post(
            "/accounts/login/", {"login": lead_a.username, "password": "pw-for-tests-1"}
        ).status_code
        == 302
    )
    assert {url: _view(client, url) for url in _pages(b)} == before


def test_an_edit_clears_its_own_projects_parts_for_every_role_at_once(two_projects):
    a, b, lead_a, lead_b, viewer, task = two_projects
    readers = {"lead": _client(lead_a), "viewer": _client(viewer)}
    for client in readers.values():
        _warm(client, _pages(a))
    _edit_task(readers["lead"], task, "After the edit")
    for role, client in readers.items():
        for url in _pages(a)[1:2] + _pages(a)[3:]:  # the pages listing the task
            html = _html(client.get(url))
            assert "After the edit" in html and "Before the edit" not in html, (role, url)
    # And what each role is shown equals a fresh render for that role (the lead's edit controls,
    # the viewer's read-only page): no role is served another's part.
    cached = {role: [_html(c.get(url)) for url in _pages(a)] for role, c in readers.items()}
    clear_cache()
    fresh = {role: [_html(c.get(url)) for url in _pages(a)] for role, c in readers.items()}
    assert cached == fresh
    assert cached["lead"] != cached["viewer"]
    edit_link = f"/projects/{a.pk}/tasks/{task.pk}/edit/"
    assert edit_link in cached["lead"][1] and edit_link not in cached["viewer"][1]


def test_a_role_change_shows_at_once(two_projects):
    """The role is an input of the parts: a viewer made contributor is drawn the contributor's page."""
    a, b, lead_a, lead_b, viewer, task = two_projects
    client = _client(viewer)
    url = f"/projects/{a.pk}/tasks/"
    _warm(client, [url])
    from projects import services

    membership = a.memberships.get(user=viewer)
    services.membership_change_role(membership=membership, user=lead_a, role=Role.CONTRIBUTOR)
    shown = _html(client.get(url))
    clear_cache()
    assert shown == _html(client.get(url))
