"""Issue 19 §2.4: a project that requires MFA shows nothing of itself to a member without MFA, on
any surface. Walks every URL pattern of the URLconf (each through the permission matrix's cases,
which fill in the ids of a real project and its objects) and every API route, as members without a
second factor, with the matrix's project requiring MFA:

- inside the project (pages, fragments, downloads, exports, API details): a page sends the member
  to the MFA setup (302, or 204 with HX-Redirect), the API answers 403 problem+json, nothing else;
- outside it (My work, the project list, the calendar feed, API lists, account pages): the answer
  names nothing of the project: not its name, organisation, scope, nor any of its task titles.
"""

import copy

import pytest
from django.urls import reverse

from api.tokens import token_create
from projects.models import Project, Task
from tests.conftest import held_transaction
from tests.factories import make_task
from tests.permissions.test_matrix import CASES, _url_names
from transfer.models import ImportJob, ImportStage, ImportStatus

ROLES = ("lead", "contributor")
OWNED_BY_A_USER = {"api_token_revoke"}
# The invitation e-mail's link, for the invited person (the e-mail itself names the project).
FOR_THE_INVITEE = {"projects:invitation_join"}
SECRET = {
    "name": "Quokka Confidential Programme",
    "organisation": "Quokka Holdings",
    "scope_summary": "Quokka scope: payroll services for the board",
}


@pytest.fixture(scope="module")
def mfa_world(module_world, django_db_blocker):
    with held_transaction(django_db_blocker):
        with django_db_blocker.unblock():
            project = module_world.project
            Project.objects.filter(pk=project.pk).update(require_mfa=True, **SECRET)
            project.refresh_from_db()
            for role in ("lead", "contributor", "auditor", "viewer"):
                user = module_world.user(role)
                make_task(project, title=f"Quokka task of the {role}", assignee=user, due_in=3)
                # Made before the project required MFA: the token page lists it.
                token_create(user=user, name="Old script", scope="read", expires_in_days=30, project=project)
            # The lead imported the project: the import page lists the job.
            ImportJob.objects.create(
                created_by=module_world.user("lead"),
                status=ImportStatus.DONE,
                stage=ImportStage.DONE,
                project=project,
            )
        yield module_world


@pytest.fixture(scope="module")
def case_world(request, mfa_world, django_db_blocker):
    case = request.param
    with held_transaction(django_db_blocker):
        world = mfa_world.without_objects()
        with django_db_blocker.unblock():
            case.url(world)
            if case.data:
                case.data(world)
        yield world


@pytest.fixture
def world(case_world, db):
    return copy.deepcopy(case_world)


def _send(client, case, world):
    url = case.url(world)
    headers = {"HTTP_HX_REQUEST": "true"} if case.htmx else {}
    if case.method == "get":
        return client.get(url, **headers)
    if case.method == "patch":
        return client.patch(url, case.data(world) if case.data else {}, content_type="application/json")
    if case.method == "delete":
        return client.delete(url)
    return client.post(url, case.data(world) if case.data else {}, **headers)


def _secrets(project) -> list[str]:
    return [*SECRET.values(), *Task.objects.filter(project=project).values_list("title", flat=True)]


def _sent_to_mfa_setup(response) -> bool:
    setup = reverse("mfa_activate_totp")
    if response.status_code == 302:
        return response["Location"] == setup
    return response.status_code == 204 and response.get("HX-Redirect") == setup


def test_the_walk_covers_every_url_pattern():
    names = {name for name in _url_names() if not name.startswith("admin:")}
    assert names <= {case.name for case in CASES}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("case_world", CASES, ids=lambda c: c.id, indirect=True)
def test_nothing_of_the_project_reaches_a_member_without_mfa(request, role, world, client):
    case = request.node.callspec.params["case_world"]
    client.force_login(world.user(role))
    response = _send(client, case, world)
    # The outsider's 404 marks what belongs to the project; a token belongs to its owner only.
    inside_project = (
        case.expect["outsider"] == 404 and case.expect[role] != 404 and case.name not in OWNED_BY_A_USER
    )
    if inside_project:
        if case.name.startswith("api:"):
            assert response.status_code == 403, f"{case.id}: {response.status_code}"
            assert response["Content-Type"].startswith("application/problem+json")
            assert b"two-factor" in response.content
        else:
            assert _sent_to_mfa_setup(response), (
                f"{case.id} as {role}: {response.status_code} {response.get('Location', '')}"
            )
        return
    if case.name in FOR_THE_INVITEE:
        return
    body = b"".join(response.streaming_content) if response.streaming else response.content
    text = body.decode("utf-8", "replace")
    leaked = [secret for secret in _secrets(world.project) if secret in text]
    assert not leaked, f"{case.id} as {role} ({response.status_code}) shows {leaked}"
