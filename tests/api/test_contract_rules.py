"""What the OpenAPI contract promises, checked directly (issue 19 defect 10); Schemathesis checks the
whole of it against gunicorn in test_contract_schemathesis.py.

- an id beyond 64 bits, or a path that names no route, is a problem+json 404 (never HTML or a 500);
- records that carry a version answer ETag, and PATCH/DELETE honour If-Match (412 on a mismatch,
  with the current record; nothing changed); `version` in the body keeps working;
- the schema documents the problem responses, Idempotency-Key, ETag, If-Match and required fields.
"""

import pytest
import yaml
from django.core.management import call_command

from documents.models import EvidenceEntry
from projects.models import Task
from tests.api.conftest import url
from tests.factories import make_task

PROBLEM = "application/problem+json"
BEYOND_64_BITS = str(2**64 + 5)


def _assert_problem(response, status):
    assert response.status_code == status, response.content[:300]
    assert response["Content-Type"] == PROBLEM
    assert response.json()["status"] == status
    return response.json()


@pytest.mark.parametrize(
    "path",
    [
        f"/api/v1/projects/{BEYOND_64_BITS}/",
        f"/api/v1/projects/{BEYOND_64_BITS}/tasks/",
        "/api/v1/projects/{project}/tasks/" + BEYOND_64_BITS + "/",
        "/api/v1/projects/{project}/assessments/" + BEYOND_64_BITS + "/answers/1/",
        "/api/v1/projects/9223372036854775808/documents/",  # 2**63: one past PostgreSQL's bigint
    ],
)
def test_an_id_beyond_64_bits_is_a_problem_404(api, world, path):
    client = api(world.user("lead"))
    path = path.format(project=world.project.pk)
    _assert_problem(client.get(path), 404)
    _assert_problem(client.post(path, {}, format="json"), 404)


def test_an_unknown_api_route_is_a_problem_404_for_any_method(api, world):
    client = api(world.user("lead"))
    for method in ("get", "post", "patch", "delete"):
        body = _assert_problem(getattr(client, method)("/api/v1/no-such-thing/"), 404)
        assert body["instance"] == "/api/v1/no-such-thing/"
    _assert_problem(api().get("/api/v1/projects/1/tasks/1/nope/"), 404)  # without credentials too


def test_get_of_a_versioned_record_has_an_etag(api, world):
    task = make_task(world.project, assignee=world.user("lead"))
    response = api(world.user("viewer")).get(url(world.project, f"tasks/{task.pk}/"))
    assert response.status_code == 200 and response["ETag"] == f'"{task.version}"'
    project = api(world.user("viewer")).get(url(world.project))
    assert project["ETag"] == f'"{world.project.version}"'


def test_if_match_of_another_version_is_412_and_changes_nothing(api, world):
    task = make_task(world.project, assignee=world.user("lead"), title="Before")
    client = api(world.user("lead"))
    path = url(world.project, f"tasks/{task.pk}/")
    response = client.patch(path, {"title": "After", "version": 1}, format="json", HTTP_IF_MATCH='"7"')
    body = _assert_problem(response, 412)
    assert body["current"]["title"] == "Before" and body["current"]["version"] == 1
    assert Task.objects.get(pk=task.pk).title == "Before"


def test_if_match_of_the_current_version_saves_and_may_replace_version(api, world):
    task = make_task(world.project, assignee=world.user("lead"))
    client = api(world.user("lead"))
    path = url(world.project, f"tasks/{task.pk}/")
    etag = client.get(path)["ETag"]
    saved = client.patch(path, {"title": "By ETag"}, format="json", HTTP_IF_MATCH=etag)
    assert saved.status_code == 200 and saved.json()["version"] == 2 and saved["ETag"] == '"2"'
    assert saved.json()["title"] == "By ETag"
    # the body's version keeps working without If-Match: a stale one is 409
    assert client.patch(path, {"title": "Stale", "version": 1}, format="json").status_code == 409
    # neither If-Match nor version: refused, naming the field
    missing = client.patch(path, {"title": "No version"}, format="json")
    assert missing.status_code == 422 and "version" in missing.json()["errors"]


def test_if_match_on_an_answer(api, world):
    from tests.factories import make_assessment

    lead = world.user("lead")
    assessment = make_assessment(world.project, user=lead)
    answer = assessment.responses.first()
    client = api(lead)
    path = url(world.project, f"assessments/{assessment.pk}/answers/{answer.pk}/")
    assert client.get(path)["ETag"] == '"1"'
    _assert_problem(client.patch(path, {"result": "partial"}, format="json", HTTP_IF_MATCH='"2"'), 412)
    saved = client.patch(path, {"result": "partial"}, format="json", HTTP_IF_MATCH='"1"')
    assert saved.status_code == 200 and saved["ETag"] == '"2"'
    assert saved.json()["result"] == "partial" and saved.json()["version"] == 2


def test_delete_with_a_stale_if_match_keeps_the_entry(api, world):
    client = api(world.user("lead"))
    created = client.post(
        url(world.project, "operation/entries/"),
        {"clause": "8.6.1", "on": "2026-10-31", "summary": "October", "link": "https://itsm.example.test/o"},
        format="json",
    )
    assert created.status_code == 201
    path = url(world.project, f"operation/entries/{created.json()['id']}/")
    _assert_problem(client.delete(path, HTTP_IF_MATCH='"9"'), 412)
    assert EvidenceEntry.objects.filter(pk=created.json()["id"]).exists()
    assert client.delete(path, HTTP_IF_MATCH=client.get(path)["ETag"]).status_code == 204
    assert not EvidenceEntry.objects.filter(pk=created.json()["id"]).exists()


@pytest.fixture(scope="module")
def schema(tmp_path_factory, django_db_blocker):
    target = tmp_path_factory.mktemp("schema") / "schema.yaml"
    with django_db_blocker.unblock():
        call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(target))
    return yaml.safe_load(target.read_text())


def _operations(schema):
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            yield path, method, operation


def test_every_operation_documents_its_errors_as_problem_json(schema):
    problem = {"$ref": "#/components/schemas/Problem"}
    required = set(schema["components"]["schemas"]["Problem"]["required"])
    assert required == {"type", "title", "status", "detail"}
    for path, method, operation in _operations(schema):
        for status in ("401", "403", "404", "406", "429", "503"):
            assert status in operation["responses"], f"{method} {path} lacks {status}"
        for status, response in operation["responses"].items():
            if status >= "400" and status != "414":  # 414: gunicorn's own page, before the API
                assert response["content"] == {PROBLEM: {"schema": problem}}, f"{method} {path} {status}"
        if method in ("post", "patch"):
            assert {"400", "415", "422"} <= set(operation["responses"]), f"{method} {path}"


def _parameters(operation):
    return {p["name"]: p for p in operation.get("parameters", [])}


def test_idempotency_key_if_match_and_etag_are_documented(schema):
    tasks = schema["paths"]["/api/v1/projects/{project_id}/tasks/"]["post"]
    assert _parameters(tasks)["Idempotency-Key"]["in"] == "header"
    assert "409" in tasks["responses"]
    detail = schema["paths"]["/api/v1/projects/{project_id}/tasks/{id}/"]
    assert "ETag" in detail["get"]["responses"]["200"]["headers"]
    assert _parameters(detail["patch"])["If-Match"]["in"] == "header"
    assert {"409", "412"} <= set(detail["patch"]["responses"])
    entry = schema["paths"]["/api/v1/projects/{project_id}/operation/entries/{id}/"]["delete"]
    assert "If-Match" in _parameters(entry) and "412" in entry["responses"]
    # every POST that honours the key documents it
    for path, method, operation in _operations(schema):
        if method == "post":
            assert "Idempotency-Key" in _parameters(operation), f"{method} {path}"


def _body_schema(schema, operation, media="application/json"):
    ref = operation["requestBody"]["content"][media]["schema"]["$ref"]
    return schema["components"]["schemas"][ref.rsplit("/", 1)[1]]


def test_required_fields_are_marked(schema):
    paths = schema["paths"]
    create = _body_schema(schema, paths["/api/v1/projects/{project_id}/tasks/"]["post"])
    assert set(create["required"]) == {"phase", "title"}
    update = _body_schema(schema, paths["/api/v1/projects/{project_id}/tasks/{id}/"]["patch"])
    assert update["required"] == ["version"]
    answer = paths["/api/v1/projects/{project_id}/assessments/{assessment_id}/answers/{id}/"]["patch"]
    assert _body_schema(schema, answer)["required"] == ["version"]


def test_ids_in_paths_are_bounded_integers(schema):
    for path, method, operation in _operations(schema):
        for parameter in operation.get("parameters", []):
            if parameter["in"] == "path":
                assert parameter["schema"] == {"type": "integer", "minimum": 1, "maximum": 2**63 - 1}, (
                    f"{method} {path} {parameter['name']}"
                )


@pytest.mark.parametrize(
    "query, field",
    [
        ("page_size=abc", "page_size"),
        ("page_size=0", "page_size"),
        ("page=-1", "page"),
        ("unassigned=maybe", "unassigned"),
        ("assignee=1.5", "assignee"),
        ("assignee=0", "assignee"),
    ],
)
def test_list_parameters_outside_the_schema_are_refused_not_ignored(api, world, query, field):
    body = _assert_problem(api(world.user("viewer")).get(url(world.project, f"tasks/?{query}")), 422)
    assert field in body["errors"]


def test_list_parameters_inside_the_schema_are_served(api, world):
    make_task(world.project, title="Nobody's")
    client = api(world.user("viewer"))
    for query in ("unassigned=true", "unassigned=false", "assignee=1", "page=1&page_size=1", "page_size=500"):
        assert client.get(url(world.project, f"tasks/?{query}")).status_code == 200, query


def test_if_match_star_matches_the_current_version(api, world):
    task = make_task(world.project, assignee=world.user("lead"))
    response = api(world.user("lead")).patch(
        url(world.project, f"tasks/{task.pk}/"), {"title": "Any version"}, format="json", HTTP_IF_MATCH="*"
    )
    assert response.status_code == 200 and response.json()["version"] == 2


def test_an_accept_header_without_json_is_a_problem_406(api, world):
    response = api(world.user("lead")).get(url(world.project, "tasks/"), HTTP_ACCEPT="text/html")
    _assert_problem(response, 406)
