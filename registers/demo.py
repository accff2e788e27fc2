"""The demo project's registers (seed_demo): a small catalogue with SLA months (a few missed), a
supplier contract about to expire, a risk still awaiting treatment, objectives with measurements."""

import datetime as dt
from decimal import Decimal

from django.utils import timezone

from .models import (
    ActualSource,
    ClimateRelevance,
    ContextDetermination,
    ContextIssue,
    Criticality,
    Direction,
    Frequency,
    InterestedParty,
    IssueKind,
    Objective,
    ObjectiveMeasurement,
    PerformanceRating,
    Risk,
    RiskKind,
    RiskStatus,
    Service,
    SlaActual,
    SlaTarget,
    Supplier,
    SupplierKind,
    meets,
)

MONTHS = 6


def _months_back(today: dt.date, count: int) -> list[dt.date]:
    """The first days of the `count` months before this one, oldest first."""
    result = []
    for back in range(count, 0, -1):
        year, month = divmod(today.year * 12 + today.month - 1 - back, 12)
        result.append(dt.date(year, month + 1, 1))
    return result


def seed_registers(project, users) -> None:
    today = timezone.localdate()
    lead, contributor = users["lead"], users["contributor"]
    ContextDetermination.objects.create(
        project=project,
        climate_change=ClimateRelevance.RELEVANT,
        climate_change_reason="Heat waves raise the cooling load of the data centre, and two customers ask "
        "for "
        "the carbon footprint of the hosted services.",
        summary="Managed IT services for the group's business units from two data centres.",
        reviewed_on=today - dt.timedelta(days=120),
        reviewed_by=lead,
        review_date=today + dt.timedelta(days=5),
    )
    for kind, title, effect, climate in (
        (
            IssueKind.EXTERNAL,
            "Extreme heat in summer",
            "Cooling capacity of data centre A is at its limit.",
            True,
        ),
        (
            IssueKind.EXTERNAL,
            "New data-protection rules for customer data",
            "Contracts and retention change.",
            False,
        ),
        (IssueKind.INTERNAL, "Service desk staff turnover", "Knowledge of older services is thin.", False),
    ):
        ContextIssue.objects.create(
            project=project,
            kind=kind,
            title=title,
            effect_on_sms=effect,
            climate_related=climate,
            owner=lead,
            review_date=today + dt.timedelta(days=90),
        )
    for name, kind, requirements in (
        (
            "Business units",
            IssueKind.INTERNAL,
            "Available e-mail and collaboration services; answers within a day.",
        ),
        ("Group board", IssueKind.INTERNAL, "Cost within budget; certification by the end of next year."),
        ("Key customers", IssueKind.EXTERNAL, "SLAs met; yearly report of the services' carbon footprint."),
    ):
        InterestedParty.objects.create(
            project=project,
            name=name,
            kind=kind,
            requirements=requirements,
            owner=lead,
            review_date=today + dt.timedelta(days=60),
        )

    network = Service.objects.create(
        project=project,
        name="Network",
        owner=contributor,
        customers="All staff",
        criticality=Criticality.CRITICAL,
        review_date=today + dt.timedelta(days=150),
    )
    email = Service.objects.create(
        project=project,
        name="E-mail and calendar",
        owner=contributor,
        customers="All business units",
        criticality=Criticality.HIGH,
        description="Mailboxes, shared calendars, mobile access.",
        review_date=today + dt.timedelta(days=3),
    )
    desk = Service.objects.create(
        project=project,
        name="Service desk",
        owner=lead,
        customers="All staff and key customers",
        criticality=Criticality.HIGH,
        review_date=today + dt.timedelta(days=200),
    )
    email.dependencies.set([network])
    months = _months_back(today, MONTHS)
    targets = (
        (
            email,
            "Availability",
            Decimal("99.5"),
            "%",
            Direction.AT_LEAST,
            ["99.9", "99.8", "99.2", "99.9", "99.7", "98.9"],
        ),
        (
            desk,
            "Incidents resolved within 8 hours",
            Decimal("90"),
            "%",
            Direction.AT_LEAST,
            ["93", "91", "92", "87", "94", "95"],
        ),
        (network, "Major outages", Decimal("1"), "", Direction.AT_MOST, ["0", "0", "1", "0", "0", "0"]),
    )
    for service, measure, target_value, unit, direction, values in targets:
        target = SlaTarget.objects.create(
            service=service, measure=measure, target=target_value, unit=unit, direction=direction
        )
        SlaActual.objects.bulk_create(
            SlaActual(
                target=target,
                month=month,
                value=Decimal(value),
                met=meets(Decimal(value), target_value, direction),
                source=ActualSource.MANUAL,
                recorded_by=service.owner,
            )
            for month, value in zip(months, values, strict=True)
        )

    hosting = Supplier.objects.create(
        project=project,
        name="Northwind Hosting",
        kind=SupplierKind.EXTERNAL,
        owner=lead,
        scope="Data centre B: racks, power and cooling.",
        contract_reference="NW-2024-017",
        contract_start=today - dt.timedelta(days=700),
        contract_expiry=today + dt.timedelta(days=6),
        review_date=today + dt.timedelta(days=30),
        performance_rating=PerformanceRating.SATISFACTORY,
    )
    hosting.services.set([email, network])
    Supplier.objects.create(
        project=project,
        name="Group facilities",
        kind=SupplierKind.INTERNAL,
        owner=contributor,
        scope="Building, power and access control of data centre A.",
        contract_reference="OLA-FAC-3",
        contract_start=today - dt.timedelta(days=400),
        contract_expiry=today + dt.timedelta(days=330),
        review_date=today + dt.timedelta(days=90),
        performance_rating=PerformanceRating.GOOD,
    )
    Supplier.objects.create(
        project=project,
        name="Contoso Retail",
        kind=SupplierKind.CUSTOMER,
        owner=lead,
        scope="Supplies the user directory feed of its own staff.",
        contract_reference="SLA-CR-2",
        performance_rating=PerformanceRating.NEEDS_IMPROVEMENT,
        disputes="Late directory feeds in two months; agreed a fix at the last service review.",
        review_date=today + dt.timedelta(days=45),
    )

    heat = Risk.objects.create(
        project=project,
        kind=RiskKind.RISK,
        title="Cooling fails in a heat wave",
        source="Context issue: extreme heat",
        likelihood=3,
        impact=5,
        acceptance_criteria="Score 8 or lower.",
        owner=lead,
        review_date=today + dt.timedelta(days=10),
        status=RiskStatus.IDENTIFIED,
    )
    heat.affected_services.set([email, network])
    turnover = Risk.objects.create(
        project=project,
        kind=RiskKind.RISK,
        title="Knowledge loss at the service desk",
        source="Context issue",
        likelihood=4,
        impact=3,
        treatment="Knowledge articles for every service; pairing of new staff.",
        acceptance_criteria="Score 8 or lower.",
        owner=contributor,
        review_date=today + dt.timedelta(days=60),
        status=RiskStatus.TREATING,
    )
    turnover.affected_services.set([desk])
    Risk.objects.create(
        project=project,
        kind=RiskKind.OPPORTUNITY,
        title="Self-service password reset",
        source="Service desk trend",
        likelihood=4,
        impact=2,
        treatment="Pilot with one business unit.",
        owner=lead,
        review_date=today + dt.timedelta(days=90),
        status=RiskStatus.TREATING,
    )

    fcr = Objective.objects.create(
        project=project,
        title="Solve more at the first contact",
        measure="First-contact resolution rate",
        target=Decimal("70"),
        unit="%",
        direction=Direction.AT_LEAST,
        frequency=Frequency.MONTHLY,
        owner=lead,
        due_date=today + dt.timedelta(days=270),
        review_date=today + dt.timedelta(days=30),
    )
    for month, value in zip(months[-4:], ("61", "64", "68", "71"), strict=True):
        ObjectiveMeasurement.objects.create(
            objective=fcr, measured_on=month, value=Decimal(value), recorded_by=lead
        )
    Objective.objects.create(
        project=project,
        title="Keep customers satisfied",
        measure="Customer satisfaction score (1–5)",
        target=Decimal("4.2"),
        direction=Direction.AT_LEAST,
        frequency=Frequency.QUARTERLY,
        owner=contributor,
        review_date=today + dt.timedelta(days=75),
    )
