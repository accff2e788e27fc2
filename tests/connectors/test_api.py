"""/api/v1/projects/<id>/connectors/…: connectors (never their credentials), a sync asked for (202 with
the queued run the worker then takes up), sync runs, frozen populations with their figures, samples."""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from api.tokens import token_create
from connectors import services
from connectors.evidence import services as evidence
from connectors.models import Connector, RunStatus, SyncRun
from connectors.sync import run_sync
from tests.api.conftest import url
from tests.ticket_evidence.helpers import connector as csv_connector
from tests.ticket_evidence.helpers import standard_rules, ticket, when

SECRET = "s3cret-token-never-shown"


@pytest.fixture
def api():
    """api(user) -> an APIClient sending a write token of that user (as tests/api/conftest.py's)."""

    def make(user):
        client = APIClient()
        token = token_create(user=user, name="Test script", scope="write", expires_in_days=30)
        client.credentials(HTTP_AUTHORIZATION=f"Bearer {token.plaintext}")
        return client

    return make


@pytest.fixture
def queued(monkeypatch):
    """The enqueued syncs, instead of a broker (the worker's part is run_sync, called by the tests)."""
    calls = []
    monkeypatch.setattr(services, "enqueue", lambda task, *args: calls.append(args))
    return calls


def _jira(world, name="Jira"):
    return services.connector_create(
        project=world.project,
        user=world.user("lead"),
        kind="jira",
        name=name,
        base_url="http://127.0.0.1:1/",
        username="bot@example.com",
        secret=SECRET,
    )


def test_connectors_are_listed_and_read_without_their_credentials(api, world):
    jira = _jira(world)
    client = api(world.user("viewer"))
    listed = client.get(url(world.project, "connectors/"))
    detail = client.get(url(world.project, f"connectors/{jira.pk}/"))
    assert listed.status_code == detail.status_code == 200
    assert [row["name"] for row in listed.json()["results"]] == ["Jira"]
    body = detail.json()
    assert (body["kind"], body["credentials_stored"], body["ticket_count"]) == ("jira", True, 0)
    assert detail["ETag"] == f'"{jira.version}"'
    for response in (listed, detail):
        text = response.content.decode()
        assert SECRET not in text and jira.credentials_encrypted not in text and "bot@example.com" not in text
        assert "credentials_encrypted" not in text and "secret" not in text


def test_a_password_typed_into_the_address_is_not_shown(api, world):
    jira = _jira(world)
    Connector.objects.filter(pk=jira.pk).update(base_url="https://bot:hunter2@jira.example.com/sd/")
    body = api(world.user("viewer")).get(url(world.project, f"connectors/{jira.pk}/")).json()
    assert body["base_url"] == "https://jira.example.com/sd/"


def test_the_lead_asks_for_a_sync_and_gets_the_queued_run(api, world, queued):
    jira = _jira(world)
    client = api(world.user("lead"))
    first = client.post(url(world.project, f"connectors/{jira.pk}/sync/"), {}, format="json")
    assert first.status_code == 202, first.json()
    run = first.json()
    assert (run["status"], run["trigger"], run["connector"]) == ("queued", "manual", jira.pk)
    assert first["Location"].endswith(url(world.project, f"connectors/{jira.pk}/runs/{run['id']}/"))
    assert queued == [(jira.pk, "manual", run["id"])]
    # asked again while it waits: the same run, nothing queued twice
    again = client.post(url(world.project, f"connectors/{jira.pk}/sync/"), {}, format="json")
    assert (again.status_code, again.json()["id"], len(queued)) == (202, run["id"], 1)
    # the worker takes the queued run up (the tool is unreachable: it fails, with the reason)
    assert run_sync(jira.pk, trigger="manual", run_id=run["id"]).pk == run["id"]
    assert SyncRun.objects.filter(connector=jira).count() == 1
    shown = client.get(first["Location"]).json()
    assert shown["status"] == RunStatus.FAILED and "Could not reach the tool" in shown["error"]
    runs = client.get(url(world.project, f"connectors/{jira.pk}/runs/")).json()["results"]
    assert [r["id"] for r in runs] == [run["id"]]


def test_a_sync_is_refused_to_other_roles_outsiders_and_file_imports(api, world, queued):
    jira = _jira(world)
    path = url(world.project, f"connectors/{jira.pk}/sync/")
    for role in ("viewer", "auditor", "contributor"):
        assert api(world.user(role)).post(path, {}, format="json").status_code == 403
    assert api(world.user("outsider")).post(path, {}, format="json").status_code == 404
    upload = csv_connector(world.project)
    refused = api(world.user("lead")).post(
        url(world.project, f"connectors/{upload.pk}/sync/"), {}, format="json"
    )
    assert refused.status_code == 422 and refused["Content-Type"] == "application/problem+json"
    assert "uploading a file" in refused.json()["detail"]
    assert queued == []


def test_a_retried_sync_request_is_answered_from_its_idempotency_key(api, world, queued):
    jira = _jira(world)
    client = api(world.user("lead"))
    path = url(world.project, f"connectors/{jira.pk}/sync/")
    first = client.post(path, {}, format="json", HTTP_IDEMPOTENCY_KEY="sync-1")
    replay = client.post(path, {}, format="json", HTTP_IDEMPOTENCY_KEY="sync-1")
    assert (first.status_code, replay.status_code) == (202, 202)
    assert replay["Idempotent-Replayed"] == "true" and replay.json() == first.json()
    assert len(queued) == 1


def _frozen_month(world):
    lead = world.user("lead")
    standard_rules(world.project, lead)
    conn = csv_connector(world.project, targets={"incident": 8})
    for hours in (2, 4, 12):
        ticket(conn, opened=when(2026, 11, 3), hours=hours)
    ticket(conn, opened=when(2026, 11, 9), reopened_count=1)
    population = evidence.population_freeze(
        project=world.project, clause="8.6.1", month=date(2026, 11, 1), user=lead, today=date(2026, 12, 6)
    )
    return population


def test_populations_come_with_their_figures_and_samples_with_their_tickets(api, world, time_machine):
    time_machine.move_to("2026-12-06 12:00Z")
    population = _frozen_month(world)
    sample = evidence.sample_draw(population=population, user=world.user("auditor"), seed=7)
    client = api(world.user("viewer"))
    listed = client.get(url(world.project, "connectors/populations/")).json()["results"]
    assert [(p["id"], p["clause"], p["month"], p["count"]) for p in listed] == [
        (population.pk, "8.6.1", "2026-11-01", 4)
    ]
    row = listed[0]
    assert (row["checksum"], row["sample"]) == (population.checksum, sample.pk)
    figures = row["figures"]
    assert (figures["volume"], figures["resolved"], figures["sla_percent"], figures["backlog"]) == (
        4,
        3,
        66.7,
        1,
    )
    assert (figures["mean_hours"], figures["reopen_percent"]) == (6.0, 25.0)
    detail = client.get(url(world.project, f"connectors/populations/{population.pk}/")).json()
    assert detail["figures"] == figures
    samples = client.get(url(world.project, "connectors/samples/")).json()["results"]
    assert [(s["id"], s["population"], s["seed"], s["size"]) for s in samples] == [
        (sample.pk, population.pk, 7, 4)
    ]
    items = client.get(url(world.project, f"connectors/samples/{sample.pk}/")).json()["items"]
    assert sorted(i["external_id"] for i in items) == sorted(
        population.tickets.values_list("external_id", flat=True)
    )
    assert {i["verdict"] for i in items} == {"pending"}


def _count(client, path) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(path).status_code == 200
    return len(queries)


def test_list_queries_do_not_grow_with_connectors_runs_or_populations(api, world, time_machine):
    time_machine.move_to("2026-12-06 12:00Z")
    client = api(world.user("viewer"))
    jira = _jira(world)
    paths = [
        url(world.project, "connectors/"),
        url(world.project, f"connectors/{jira.pk}/runs/"),
        url(world.project, "connectors/populations/"),
        url(world.project, "connectors/samples/"),
    ]
    population = _frozen_month(world)
    evidence.sample_draw(population=population, user=world.user("auditor"), seed=1)
    SyncRun.objects.create(connector=jira, started_at=population.frozen_at)
    client.get(paths[0])  # the token's first use of the minute writes its last-used time
    small = [_count(client, path) for path in paths]
    for i in range(8):
        _jira(world, name=f"Jira {i}")
        SyncRun.objects.create(connector=jira, started_at=population.frozen_at)
    conn = csv_connector(world.project, name="More")
    for month in range(2, 11):
        ticket(conn, opened=when(2026, month, 5), hours=3)
    for made in evidence.freeze_closed_months(
        project=world.project, user=world.user("lead"), today=date(2026, 12, 6)
    ):
        evidence.sample_draw(population=made, user=world.user("auditor"), seed=1)
    assert [_count(client, path) for path in paths] == small
