"""A stored answer is replayed only to someone who may still make the request (issue 19 defect 8):
access (membership, role, token scope, the project's MFA requirement) is checked before the
Idempotency-Key lookup, so a retry never returns what the caller may no longer see or do."""

from projects.models import Task
from tests.api.conftest import url


def _create(client, world, key="replay-1"):
    phase = world.project.phases.get(key="5")
    return client.post(
        url(world.project, "tasks/"),
        {"phase": phase.pk, "title": "Replayed task"},
        format="json",
        HTTP_IDEMPOTENCY_KEY=key,
    )


def _assert_refused(response, status):
    assert response.status_code == status, response.content
    assert response["Content-Type"] == "application/problem+json"
    assert "Idempotent-Replayed" not in response
    assert "Replayed task" not in response.content.decode()


def test_a_removed_member_gets_404_not_the_stored_201(api, world):
    contributor = world.user("contributor")
    client = api(contributor)
    assert _create(client, world).status_code == 201
    world.project.memberships.filter(user=contributor).delete()
    _assert_refused(_create(client, world), 404)


def test_a_read_only_token_gets_403_not_the_stored_201(api, world, token_for):
    lead = world.user("lead")
    assert _create(api(lead), world).status_code == 201
    _assert_refused(_create(api(lead, scope="read"), world), 403)
    assert Task.objects.filter(title="Replayed task").count() == 1


def test_a_member_without_mfa_gets_403_once_the_project_requires_it(api, world):
    client = api(world.user("lead"))
    assert _create(client, world).status_code == 201
    world.project.require_mfa = True
    world.project.save(update_fields=["require_mfa"])
    response = client.post(url(world.project, "tasks/"), {}, format="json")  # refused without a key too
    assert response.status_code == 403
    _assert_refused(_create(client, world), 403)


def test_a_member_whose_role_was_lowered_gets_403(api, world):
    contributor = world.user("contributor")
    client = api(contributor)
    assert _create(client, world).status_code == 201
    world.project.memberships.filter(user=contributor).update(role="viewer")
    _assert_refused(_create(client, world), 403)


def test_a_member_who_still_may_act_gets_the_replay(api, world):
    client = api(world.user("contributor"))
    first = _create(client, world)
    again = _create(client, world)
    assert again.status_code == 201 and again["Idempotent-Replayed"] == "true"
    assert again.json() == first.json()
