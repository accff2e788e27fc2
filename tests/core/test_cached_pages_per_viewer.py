"""Cached page parts ({% cachedpart %}) are shared only by viewers who see the same thing: a role
never gets the controls another role's view put in the cache, and a form in a cached part carries the
viewer's own CSRF token, which the save accepts."""

import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from kernel import pagecache
from projects.models import Membership, Role
from tests.conftest import clear_cache
from tests.factories import UserFactory, add_member, make_project, make_task

# Run with per-process memory and with the Redis cache production uses (tests/conftest.py).
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("each_cache")]

TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
ANY_TOKEN = re.compile(r'(csrfmiddlewaretoken" value="|"X-CSRFToken": ")[^"]+')

# page -> what only the lead's view of it holds
LEAD_CONTROLS = {
    "/projects/{project}/tasks/": ['id="bulk-form"', 'data-select-all="bulk-form"', ">New task</a>"],
    "/projects/{project}/members/": ['name="role"', "Invite a member", ">Remove</a>"],
    "/projects/{project}/history/": [">Edit project</a>"],
    "/projects/{project}/gap/": [">New assessment</a>", "Start the baseline assessment"],
    "/projects/{project}/phases/{phase}/": [">Edit phase</a>", 'id="quick-task-form"'],
}


@pytest.fixture
def people():
    lead = UserFactory(username="viewer-lead")
    project = make_project(lead=lead)
    viewer = UserFactory(username="viewer-viewer")
    add_member(project, viewer, Role.VIEWER)
    make_task(project, title="A task on the list")
    return project, lead, viewer


def _client(user, **kwargs):
    client = Client(**kwargs)
    client.force_login(user)
    return client


def _get(client, url):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return ANY_TOKEN.sub(r"\1…", response.content.decode()), len(captured)


def _fresh(client, url):
    clear_cache()
    pagecache._local.clear()
    return _get(client, url)[0]


@pytest.mark.parametrize("path", [*LEAD_CONTROLS, "/projects/{project}/roadmap/"])
@pytest.mark.parametrize("first", ["lead", "viewer"])
def test_each_role_sees_its_own_page_whoever_viewed_it_first(people, path, first):
    project, lead, viewer = people
    url = path.format(project=project.pk, phase=project.phases.get(key="5").pk)
    clients = {"lead": _client(lead), "viewer": _client(viewer)}
    order = [first, "viewer" if first == "lead" else "lead"]
    seen = {}
    for who in order * 2:  # each view once more: served from the cache now
        seen[who] = _get(clients[who], url)[0]
    for who in order:
        assert seen[who] == _fresh(clients[who], url), f"{who} sees what a fresh render shows"
    for control in LEAD_CONTROLS.get(path, []):
        assert control in seen["lead"]
        assert control not in seen["viewer"]


def test_my_work_is_each_users_own(people):
    project, lead, viewer = people
    make_task(project, title="Task of the lead", assignee=lead)
    make_task(project, title="Task of the viewer", assignee=viewer)
    lead_page = _get(_client(lead), "/my-work/")[0]
    viewer_page = _get(_client(viewer), "/my-work/")[0]
    assert "Task of the lead" in lead_page and "Task of the viewer" not in lead_page
    assert "Task of the viewer" in viewer_page and "Task of the lead" not in viewer_page


def test_a_cached_form_carries_the_viewers_own_csrf_token(people):
    """Two leads: the second is served the members page the first put in the cache, and its forms
    post with the second lead's token (another session's token would be refused with 403)."""
    project, lead, viewer = people
    co_lead = UserFactory(username="viewer-co-lead")
    add_member(project, co_lead, Role.LEAD)
    url = f"/projects/{project.pk}/members/"
    first, second = _client(lead, enforce_csrf_checks=True), _client(co_lead, enforce_csrf_checks=True)
    _, miss = _get(first, url)
    _get(first, url)
    with CaptureQueriesContext(connection) as hit:
        response = second.get(url)
    assert len(hit) < miss, "served from the cache"
    html = response.content.decode()
    tokens = set(TOKEN.findall(html))
    assert len(tokens) == 1 and "\x00" not in html
    membership = Membership.objects.get(project=project, user=viewer)
    saved = second.post(
        f"/projects/{project.pk}/members/{membership.pk}/role/",
        {"role": Role.CONTRIBUTOR, "csrfmiddlewaretoken": tokens.pop()},
    )
    assert saved.status_code == 302
    membership.refresh_from_db()
    assert membership.role == Role.CONTRIBUTOR
