"""Every error is an RFC 9457 problem document (application/problem+json): type, title, status,
detail, instance; validation errors add `errors` per field."""

from tests.api.conftest import url
from tests.factories import UserFactory, make_task

PROBLEM = "application/problem+json"


def _assert_problem(response, status):
    assert response.status_code == status
    assert response["Content-Type"] == PROBLEM
    body = response.json()
    assert body["status"] == status
    assert body["title"] and body["detail"] and body["type"].startswith("https://")
    return body


def test_401_is_a_problem(api, world):
    body = _assert_problem(api().get(url(world.project)), 401)
    assert body["instance"] == url(world.project)


def test_404_for_a_non_member_is_a_problem(api, world):
    _assert_problem(api(UserFactory()).get(url(world.project, "tasks/")), 404)


def test_404_for_a_record_of_another_project_is_a_problem(api, world):
    from tests.factories import make_project

    other = make_project(lead=UserFactory(), name="Other")
    task = make_task(other)
    _assert_problem(api(world.user("lead")).get(url(world.project, f"tasks/{task.pk}/")), 404)


def test_403_for_a_role_that_may_not_act_is_a_problem(api, world):
    task = make_task(world.project, assignee=world.user("contributor"))
    response = api(world.user("viewer")).post(
        url(world.project, f"tasks/{task.pk}/complete/"), {}, format="json"
    )
    _assert_problem(response, 403)


def test_validation_errors_are_a_422_problem_with_field_errors(api, world):
    response = api(world.user("lead")).post(
        url(world.project, "tasks/"), {"title": "", "priority": "urgent"}, format="json"
    )
    body = _assert_problem(response, 422)
    assert set(body["errors"]) >= {"title", "priority"}


def test_service_validation_errors_are_a_422_problem(api, world):
    """Rules the service checks (the assignee must be a member) come back on their field."""
    phase = world.project.phases.get(key="5")
    response = api(world.user("lead")).post(
        url(world.project, "tasks/"),
        {"phase": phase.pk, "title": "Valid", "assignee": world.user("outsider").pk},
        format="json",
    )
    body = _assert_problem(response, 422)
    assert "member" in body["errors"]["assignee"][0]


def test_bad_filter_value_is_a_422_problem_not_a_500(api, world):
    body = _assert_problem(api(world.user("lead")).get(url(world.project, "tasks/?status=bogus")), 422)
    assert "status" in body["errors"]
    _assert_problem(api(world.user("lead")).get(url(world.project, "tasks/?due_before=2026-02-30")), 422)


def test_method_not_allowed_is_a_problem(api, world):
    response = api(world.user("lead")).delete(url(world.project, "tasks/"))
    _assert_problem(response, 405)
