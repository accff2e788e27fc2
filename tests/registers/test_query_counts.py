"""Every register page reads a fixed number of queries, with 10 entries as with 500 (lists, detail
pages with their targets, months, measurements and links)."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from registers.models import (
    ContextDetermination,
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

SMALL, LARGE = 10, 500
BOUND = 25  # the most any register page reads (session, membership, nav and the page's own)


def _month(index: int) -> dt.date:
    year, month = divmod(2026 * 12 + 10 - index, 12)
    return dt.date(year, month + 1, 1)


def build(world, size: int, start: int = 0):
    """`size` entries in every register, all linked to the first service, objective and target."""
    project, owner = world.project, world.user("contributor")
    rng = range(start, start + size)
    subject = Service.objects.filter(project=project, name="Subject").first() or Service.objects.create(
        project=project, name="Subject", owner=owner
    )
    services = Service.objects.bulk_create(Service(project=project, name=f"S{i}", owner=owner) for i in rng)
    subject.dependencies.add(*services)
    subject.dependents.add(*services)
    targets = SlaTarget.objects.bulk_create(
        SlaTarget(service=subject, measure=f"M{i}", target=Decimal("99")) for i in rng
    )
    SlaActual.objects.bulk_create(
        SlaActual(target=t, month=_month(k), value=Decimal("98"), met=False)
        for t in targets
        for k in range(2)
    )
    first = SlaTarget.objects.filter(service=subject).order_by("pk").first()
    SlaActual.objects.bulk_create(
        SlaActual(target=first, month=_month(100 + i), value=Decimal("99.5"), met=True) for i in rng
    )
    suppliers = Supplier.objects.bulk_create(
        Supplier(project=project, name=f"Sup{i}", owner=owner) for i in rng
    )
    subject.suppliers.add(*suppliers)
    risks = Risk.objects.bulk_create(Risk(project=project, title=f"R{i}", owner=owner) for i in rng)
    subject.risks.add(*risks)
    for supplier in suppliers[:1]:
        supplier.services.add(*services)
    for risk in risks[:1]:
        risk.affected_services.add(*services)
    objectives = Objective.objects.bulk_create(
        Objective(project=project, title=f"O{i}", measure="KPI", target=Decimal("1"), owner=owner)
        for i in rng
    )
    objective = Objective.objects.filter(project=project).order_by("pk").first()
    ObjectiveMeasurement.objects.bulk_create(
        ObjectiveMeasurement(
            objective=objective, measured_on=dt.date(2026, 1, 1) - dt.timedelta(days=i), value=1
        )
        for i in rng
    )
    ContextIssue.objects.bulk_create(
        ContextIssue(project=project, title=f"I{i}", kind="internal", owner=owner) for i in rng
    )
    InterestedParty.objects.bulk_create(
        InterestedParty(project=project, name=f"P{i}", owner=owner) for i in rng
    )
    ContextDetermination.objects.get_or_create(project=project)
    for obj in (subject, first, objective, objectives[0]):
        for _ in range(3 if start else 1):  # history grows too
            obj.save()
    return {
        "service": subject,
        "target": first,
        "objective": objective,
        "supplier": Supplier.objects.filter(project=project).order_by("pk").first(),
        "risk": Risk.objects.filter(project=project).order_by("pk").first(),
        "issue": ContextIssue.objects.filter(project=project).order_by("pk").first(),
        "party": InterestedParty.objects.filter(project=project).order_by("pk").first(),
    }


def pages(world, subjects) -> dict[str, str]:
    base = f"/projects/{world.project.pk}/registers/"
    urls = {"overview": base, "context": base + "context/"}
    for key, name in (
        ("issues", "issue"),
        ("parties", "party"),
        ("services", "service"),
        ("suppliers", "supplier"),
        ("risks", "risk"),
        ("objectives", "objective"),
    ):
        urls[f"{key} list"] = base + f"{key}/?review=&q="
        urls[f"{key} detail"] = base + f"{key}/{subjects[name].pk}/"
    urls["target detail"] = base + f"targets/{subjects['target'].pk}/"
    urls["actual edit"] = base + f"actuals/{subjects['target'].actuals.order_by('pk').first().pk}/edit/"
    return urls


def measure(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(queries)


@pytest.fixture(scope="module")
def counts(module_world, django_db_blocker):
    with django_db_blocker.unblock():
        subjects = build(module_world, SMALL)
        client = Client()
        client.force_login(module_world.user("lead"))
        urls = pages(module_world, subjects)
        for url in urls.values():  # warm the process-wide caches before counting
            client.get(url)
        small = {name: measure(client, url) for name, url in urls.items()}
        build(module_world, LARGE - SMALL, start=SMALL)
    return urls, small


PAGE_NAMES = ["overview", "context", "target detail", "actual edit"] + [
    f"{k} {p}"
    for k in ("issues", "parties", "services", "suppliers", "risks", "objectives")
    for p in ("list", "detail")
]


@pytest.mark.parametrize("page_name", PAGE_NAMES)
def test_a_register_page_reads_as_many_queries_with_500_entries_as_with_10(
    counts, module_world, db, client, page_name, django_assert_max_num_queries
):
    urls, small = counts
    client.force_login(module_world.user("lead"))
    large = measure(client, urls[page_name])
    assert large == small[page_name], (
        f"{page_name}: {small[page_name]} queries with {SMALL} entries, {large} with {LARGE}"
    )
    with django_assert_max_num_queries(BOUND):
        client.get(urls[page_name])


def test_the_counts_are_reported(counts, capsys):
    """Not a guard: prints each page's query count for the record (`-s` shows it)."""
    _urls, small = counts
    with capsys.disabled():
        print("\n" + "\n".join(f"{name}: {small[name]} queries" for name in PAGE_NAMES))
    assert all(0 < value <= BOUND for value in small.values())
