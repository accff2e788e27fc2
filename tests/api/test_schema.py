"""The OpenAPI 3 schema: generated from the code (as CI does, in this test), valid against the
OpenAPI specification, and covering every API route; Swagger UI is served from our static files."""

import re

import yaml
from django.core.management import call_command
from django.urls import get_resolver
from openapi_spec_validator import validate


def _generate(tmp_path):
    target = tmp_path / "schema.yaml"
    # --validate runs drf-spectacular's own check; --fail-on-warn makes any warning an error
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(target))
    return yaml.safe_load(target.read_text())


def test_generated_schema_is_valid_openapi(tmp_path):
    schema = _generate(tmp_path)
    validate(schema)  # openapi-spec-validator: raises on any violation of the OpenAPI 3 spec
    assert schema["openapi"].startswith("3.")
    assert schema["components"]["securitySchemes"]["personalAccessToken"]["scheme"] == "bearer"


def test_schema_covers_every_api_route(tmp_path):
    documented = set(_generate(tmp_path)["paths"])
    undocumented = ("schema", "docs", "not_found")  # not_found: every path that names no route
    routes = [p for p in get_resolver("api.urls").url_patterns if p.name not in undocumented]
    assert len(routes) >= 25
    for route in routes:
        # drf-spectacular names a primary key {id}
        path = "/api/v1/" + re.sub(
            r"<id:(\w+)>", lambda m: "{%s}" % ("id" if m[1] == "pk" else m[1]), str(route.pattern)
        )
        assert path in documented, f"api:{route.name} ({path}) is not in the schema"


def test_task_list_documents_its_filters_and_pagination(tmp_path):
    operation = _generate(tmp_path)["paths"]["/api/v1/projects/{project_id}/tasks/"]["get"]
    names = {p["name"] for p in operation["parameters"]}
    assert {"status", "assignee", "due_before", "due_after", "clause", "page", "page_size"} <= names


# `db`: every request opens its database connection first (kernel/outages.py: a 503 then).
def test_schema_and_swagger_ui_are_served_without_a_cdn(client, db):
    schema = client.get("/api/v1/schema/")
    assert schema.status_code == 200 and b"openapi" in schema.content
    page = client.get("/api/v1/docs/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js" in html
    assert "cdn" not in html.lower() and "<script>" not in html  # no inline script: the CSP holds
