"""The registers in the REST API: every register listed, read, created, edited (ETag/If-Match, 409
on a stale version) and deleted, access-checked like the other resources; errors as problem+json."""

import datetime as dt

import pytest

from registers.models import ContextDetermination, Risk, Service, SlaActual
from tests.api.conftest import url
from tests.factories import UserFactory, add_member, make_project
from tests.registers.builders import (
    make_actual,
    make_issue,
    make_measurement,
    make_objective,
    make_party,
    make_risk,
    make_service,
    make_supplier,
    make_target,
)


@pytest.fixture
def entries(world):
    p, owner = world.project, world.user("contributor")
    service = make_service(p, owner=owner)
    target = make_target(service)
    objective = make_objective(p, owner=owner)
    return {
        "issues": make_issue(p),
        "parties": make_party(p),
        "services": service,
        "targets": target,
        "actuals": make_actual(target),
        "suppliers": make_supplier(p),
        "risks": make_risk(p, owner=owner),
        "objectives": objective,
        "measurements": make_measurement(objective),
    }


@pytest.mark.parametrize(
    "key",
    [
        "issues",
        "parties",
        "services",
        "targets",
        "actuals",
        "suppliers",
        "risks",
        "objectives",
        "measurements",
    ],
)
def test_every_entry_reads_with_its_etag_and_an_outsider_gets_404(world, api, entries, key):
    entry = entries[key]
    answer = api(world.user("viewer")).get(url(world.project, f"registers/{key}/{entry.pk}/"))
    assert answer.status_code == 200, answer.content
    assert answer.json()["id"] == entry.pk
    assert answer["ETag"] == f'"{entry.version}"'
    assert (
        api(world.user("outsider")).get(url(world.project, f"registers/{key}/{entry.pk}/")).status_code == 404
    )


def test_lists_are_paginated_and_scoped_to_the_project(world, api, entries):
    other = make_project(lead=UserFactory(username="elsewhere"), name="Other")
    make_service(other, name="Not ours")
    body = api(world.user("auditor")).get(url(world.project, "registers/services/")).json()
    assert [row["name"] for row in body["results"]] == ["E-mail"]
    assert body["count"] == 1
    targets = (
        api(world.user("auditor"))
        .get(url(world.project, f"registers/services/{entries['services'].pk}/targets/"))
        .json()
    )
    assert [row["measure"] for row in targets["results"]] == ["Availability"]
    actuals = (
        api(world.user("auditor"))
        .get(url(world.project, f"registers/targets/{entries['targets'].pk}/actuals/"))
        .json()["results"]
    )
    assert actuals[0]["met"] is True and actuals[0]["month"] == "2026-10-01"


def test_a_contributor_adds_a_service_and_the_lead_an_sla_month_computed_met_or_missed(world, api, entries):
    created = api(world.user("contributor")).post(
        url(world.project, "registers/services/"),
        {
            "name": "Service desk",
            "criticality": "high",
            "status": "live",
            "owner": world.user("contributor").pk,
        },
        format="json",
    )
    assert created.status_code == 201, created.content
    assert created.json()["name"] == "Service desk" and created.json()["version"] == 1
    month = api(world.user("lead")).post(
        url(world.project, f"registers/targets/{entries['targets'].pk}/actuals/"),
        {"month": "2026-11-17", "value": "98.7"},
        format="json",
    )
    assert month.status_code == 201, month.content
    assert month.json()["month"] == "2026-11-01" and month.json()["met"] is False
    again = api(world.user("lead")).post(
        url(world.project, f"registers/targets/{entries['targets'].pk}/actuals/"),
        {"month": "2026-11-01", "value": "99.9"},
        format="json",
    )
    assert again.status_code == 422
    assert again["Content-Type"] == "application/problem+json"
    assert "month" in again.json()["errors"]
    assert SlaActual.objects.filter(target=entries["targets"]).count() == 2


def test_roles_that_may_not_write_get_403_and_nothing_changes(world, api, entries):
    viewer = api(world.user("viewer"))
    assert (
        viewer.post(url(world.project, "registers/risks/"), {"title": "X"}, format="json").status_code == 403
    )
    risk = entries["risks"]
    assert (
        api(world.user("auditor"))
        .patch(url(world.project, f"registers/risks/{risk.pk}/"), {"title": "Y", "version": 1}, format="json")
        .status_code
        == 403
    )
    assert (
        api(world.user("contributor")).delete(url(world.project, f"registers/risks/{risk.pk}/")).status_code
        == 403
    )
    risk.refresh_from_db()
    assert risk.title == "Cooling fails" and risk.version == 1


def test_patch_changes_only_what_is_sent_and_a_stale_version_is_409_with_the_current_entry(
    world, api, entries
):
    risk = entries["risks"]
    client = api(world.user("contributor"))  # the risk's owner
    first = client.patch(
        url(world.project, f"registers/risks/{risk.pk}/"),
        {"treatment": "Second cooling unit", "version": 1},
        format="json",
    )
    assert first.status_code == 200, first.content
    assert first.json()["treatment"] == "Second cooling unit" and first.json()["title"] == "Cooling fails"
    assert first["ETag"] == '"2"'
    stale = client.patch(
        url(world.project, f"registers/risks/{risk.pk}/"), {"title": "Old view", "version": 1}, format="json"
    )
    assert stale.status_code == 409
    assert stale.json()["current"]["treatment"] == "Second cooling unit"
    precondition = client.patch(
        url(world.project, f"registers/risks/{risk.pk}/"),
        {"title": "Old view"},
        format="json",
        HTTP_IF_MATCH='"1"',
    )
    assert precondition.status_code == 412
    by_etag = client.patch(
        url(world.project, f"registers/risks/{risk.pk}/"),
        {"likelihood": 2},
        format="json",
        HTTP_IF_MATCH='"2"',
    )
    assert by_etag.status_code == 200 and by_etag.json()["score"] == 2 * Risk.objects.get(pk=risk.pk).impact


def test_a_service_of_another_project_cannot_be_linked(world, api, entries):
    other = make_project(lead=UserFactory(username="elsewhere"), name="Other")
    foreign = make_service(other, name="Foreign")
    answer = api(world.user("lead")).patch(
        url(world.project, f"registers/risks/{entries['risks'].pk}/"),
        {"affected_services": [foreign.pk], "version": 1},
        format="json",
    )
    assert answer.status_code == 422
    assert "affected_services" in answer.json()["errors"]
    assert not entries["risks"].affected_services.exists()


def test_a_child_under_another_project_s_parent_is_404(world, api):
    other = make_project(lead=UserFactory(username="elsewhere"), name="Other")
    foreign = make_target(make_service(other, name="Foreign"))
    answer = api(world.user("lead")).post(
        url(world.project, f"registers/targets/{foreign.pk}/actuals/"),
        {"month": "2026-11-01", "value": "1"},
        format="json",
    )
    assert answer.status_code == 404
    assert not SlaActual.objects.exists()


def test_the_lead_deletes_with_if_match_and_a_stale_tag_is_412(world, api, entries):
    service = entries["services"]
    lead = api(world.user("lead"))
    assert (
        lead.delete(url(world.project, f"registers/services/{service.pk}/"), HTTP_IF_MATCH='"7"').status_code
        == 412
    )
    assert (
        lead.delete(url(world.project, f"registers/services/{service.pk}/"), HTTP_IF_MATCH='"1"').status_code
        == 204
    )
    assert not Service.objects.filter(pk=service.pk).exists()


def test_a_create_retried_with_the_same_idempotency_key_is_made_once(world, api):
    client = api(world.user("lead"))
    body = {
        "title": "Supplier insolvency",
        "kind": "risk",
        "likelihood": 2,
        "impact": 4,
        "status": "identified",
    }
    first = client.post(
        url(world.project, "registers/risks/"), body, format="json", HTTP_IDEMPOTENCY_KEY="k-1"
    )
    second = client.post(
        url(world.project, "registers/risks/"), body, format="json", HTTP_IDEMPOTENCY_KEY="k-1"
    )
    assert first.status_code == second.status_code == 201
    assert second["Idempotent-Replayed"] == "true"
    assert Risk.objects.filter(title="Supplier insolvency").count() == 1


def test_the_lead_records_the_climate_determination_which_needs_a_reason(world, api):
    lead = api(world.user("lead"))
    first = lead.get(url(world.project, "registers/context/")).json()
    assert first["climate_change"] == "undetermined" and first["created_at"] is None  # nothing recorded yet
    refused = lead.patch(
        url(world.project, "registers/context/"), {"climate_change": "relevant"}, format="json"
    )
    assert refused.status_code == 422 and "climate_change_reason" in refused.json()["errors"]
    saved = lead.patch(
        url(world.project, "registers/context/"),
        {
            "climate_change": "relevant",
            "climate_change_reason": "Data centre cooling in heat waves",
            "reviewed_on": "2026-11-02",
        },
        format="json",
    )
    assert saved.status_code == 200, saved.content
    assert ContextDetermination.objects.get(project=world.project).climate_change == "relevant"
    stale = lead.patch(
        url(world.project, "registers/context/"), {"summary": "x"}, format="json", HTTP_IF_MATCH='"9"'
    )
    assert stale.status_code == 412
    assert (
        api(world.user("contributor"))
        .patch(url(world.project, "registers/context/"), {"summary": "x"}, format="json")
        .status_code
        == 403
    )


def test_a_read_only_token_may_not_write(world, api):
    client = api(world.user("lead"), scope="read")
    assert (
        client.post(url(world.project, "registers/services/"), {"name": "X"}, format="json").status_code
        == 403
    )
    assert not Service.objects.exists()


def test_a_member_of_two_projects_sees_each_project_s_entries_only(world, api):
    other = make_project(lead=world.user("lead"), name="Second")
    make_service(other, name="Theirs")
    make_service(world.project, name="Ours")
    body = api(world.user("lead")).get(url(world.project, "registers/services/")).json()
    assert [r["name"] for r in body["results"]] == ["Ours"]
    _ = add_member, dt
