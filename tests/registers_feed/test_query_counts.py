"""What the registers feed reads a fixed number of queries, with 10 entries in every register as
with 500: the registers' API lists and entries, the cite page (each kind), the snapshots page, the
readiness rules, the management review's inputs and the management PDF's two sections."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from rest_framework.test import APIClient

from api.tokens import token_create
from audits.reviews import review_prefill
from gapanalysis.models import Response
from registers.charts import objectives_section, sla_section
from registers.feed_models import RegisterSnapshot
from registers.models import (
    ContextIssue,
    InterestedParty,
    Objective,
    ObjectiveMeasurement,
    Risk,
    Service,
    SlaActual,
    SlaTarget,
    Supplier,
)
from registers.readiness import register_blockers
from registers.review_inputs import register_review_inputs
from tests.factories import make_assessment

SMALL, LARGE = 10, 500


def _month(index: int) -> dt.date:
    year, month = divmod(2026 * 12 + 10 - index % 24, 12)
    return dt.date(year, month + 1, 1)


def build(world, size: int, start: int = 0) -> dict:
    project, owner = world.project, world.user("contributor")
    rng = range(start, start + size)
    services = Service.objects.bulk_create(Service(project=project, name=f"S{i}", owner=owner) for i in rng)
    targets = SlaTarget.objects.bulk_create(
        SlaTarget(service=s, measure="Availability", target=Decimal("99")) for s in services
    )
    SlaActual.objects.bulk_create(
        SlaActual(target=t, month=_month(i), value=Decimal("98" if i % 3 else "99.5"), met=not i % 3)
        for i, t in zip(rng, targets, strict=True)
    )
    suppliers = Supplier.objects.bulk_create(
        Supplier(
            project=project,
            name=f"Sup{i}",
            owner=owner,
            contract_expiry=dt.date(2026, 1, 1) + dt.timedelta(days=i),
        )
        for i in rng
    )
    for supplier in suppliers[:3]:
        supplier.services.add(*services[:3])
    risks = Risk.objects.bulk_create(
        Risk(project=project, title=f"R{i}", owner=owner if i % 2 else None, likelihood=4, impact=4)
        for i in rng
    )
    for risk in risks[:3]:
        risk.affected_services.add(*services[:3])
    objectives = Objective.objects.bulk_create(
        Objective(project=project, title=f"O{i}", measure="KPI", target=Decimal("1"), owner=owner)
        for i in rng
    )
    ObjectiveMeasurement.objects.bulk_create(
        ObjectiveMeasurement(objective=o, measured_on=dt.date(2026, 1, 1), value=Decimal("2"))
        for o in objectives[::2]
    )
    ContextIssue.objects.bulk_create(
        ContextIssue(project=project, title=f"I{i}", kind="internal") for i in rng
    )
    InterestedParty.objects.bulk_create(InterestedParty(project=project, name=f"P{i}") for i in rng)
    RegisterSnapshot.objects.bulk_create(
        RegisterSnapshot(project=project, register="risks", requested_by=world.user("lead")) for _ in rng
    )
    return {"service": services[0], "target": targets[0], "objective": objectives[0], "risk": risks[0]}


def urls(world, subjects, answer) -> dict[str, str]:
    api = f"/api/v1/projects/{world.project.pk}/registers/"
    found = {
        f"api {key}": api + f"{key}/"
        for key in ("issues", "parties", "services", "suppliers", "risks", "objectives")
    }
    found["api targets"] = api + f"services/{subjects['service'].pk}/targets/"
    found["api actuals"] = api + f"targets/{subjects['target'].pk}/actuals/"
    found["api measurements"] = api + f"objectives/{subjects['objective'].pk}/measurements/"
    found["api risk"] = api + f"risks/{subjects['risk'].pk}/"
    found["api context"] = api + "context/"
    cite = f"/projects/{world.project.pk}/registers-feed/cite/{answer.assessment_id}/{answer.pk}/"
    for kind in ("sla_actual", "service", "supplier", "risk"):
        found[f"cite {kind}"] = cite + f"?kind={kind}"
    found["snapshots"] = f"/projects/{world.project.pk}/reports/register-snapshots/"
    return found


def measure(call) -> int:
    with CaptureQueriesContext(connection) as queries:
        call()
    return len(queries)


def calls(world, found, web, api):
    today = timezone.localdate()
    project = world.project

    def get(client, url):
        def run():
            response = client.get(url)
            assert response.status_code == 200, (url, response.status_code)

        return run

    result = {name: get(api if name.startswith("api") else web, url) for name, url in found.items()}
    result["readiness rules"] = lambda: register_blockers(project)
    result["review inputs"] = lambda: register_review_inputs(project, today=today)
    result["review prefill"] = lambda: review_prefill(project, today=today)
    result["pdf sla"] = lambda: sla_section(project, today=today, shared={})
    result["pdf objectives"] = lambda: objectives_section(project, today=today, shared={})
    return result


@pytest.fixture(scope="module")
def counts(module_world, django_db_blocker):
    with django_db_blocker.unblock():
        subjects = build(module_world, SMALL)
        answer = Response.objects.filter(
            assessment=make_assessment(
                module_world.project, user=module_world.user("lead"), clause_numbers=["8.3.3"],
                auditors=[module_world.user("auditor")],
            )
        ).first()  # fmt: skip
        web = Client()
        web.force_login(module_world.user("auditor"))
        api = APIClient()
        token = token_create(user=module_world.user("lead"), name="Counts", scope="read", expires_in_days=30)
        api.credentials(HTTP_AUTHORIZATION=f"Bearer {token.plaintext}")
        found = urls(module_world, subjects, answer)
        runs = calls(module_world, found, web, api)
        for run in runs.values():  # warm the process-wide caches
            run()
        small = {name: measure(run) for name, run in runs.items()}
        build(module_world, LARGE - SMALL, start=SMALL)
        large = {name: measure(run) for name, run in runs.items()}
    return small, large


NAMES = [
    *(f"api {k}" for k in ("issues", "parties", "services", "suppliers", "risks", "objectives", "targets",
                           "actuals", "measurements", "risk", "context")),
    *(f"cite {k}" for k in ("sla_actual", "service", "supplier", "risk")),
    "snapshots", "readiness rules", "review inputs", "review prefill", "pdf sla", "pdf objectives",
]  # fmt: skip


@pytest.mark.parametrize("name", NAMES)
def test_as_many_queries_with_500_entries_as_with_10(counts, name):
    small, large = counts
    assert large[name] == small[name], (
        f"{name}: {small[name]} queries with {SMALL} entries, {large[name]} with {LARGE}"
    )
    bound = 45 if name == "review prefill" else 15  # the whole 9.3 pre-fill: every app's inputs
    assert large[name] <= bound, f"{name}: {large[name]} queries"


def test_the_counts_are_reported(counts, capsys):
    """Not a guard: prints each count for the record (`-s` shows it)."""
    small, large = counts
    with capsys.disabled():
        print()
        for name in NAMES:
            print(
                f"  {name:<22} {small[name]:>3} queries with {SMALL} entries, {large[name]:>3} with {LARGE}"
            )
