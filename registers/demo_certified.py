"""The certified demo project's registers (issue 23): the catalogue with a year of SLA months, a
supplier under contract, treated risks, measured objectives and a reviewed context, so the certified
project stays coherent with the readiness rules the registers add (no register blocker)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.utils import timezone

from projects.scheduling import add_months

from .models import (
    ClimateRelevance,
    ContextDetermination,
    ContextIssue,
    Direction,
    IssueKind,
    Objective,
    ObjectiveMeasurement,
    PerformanceRating,
    Risk,
    RiskStatus,
    Service,
    SlaActual,
    SlaTarget,
    Supplier,
    meets,
)


def seed_certified_registers(project, users) -> None:
    today = timezone.localdate()
    lead = users["lead"]
    ContextDetermination.objects.create(
        project=project,
        climate_change=ClimateRelevance.RELEVANT,
        climate_change_reason="Summer heat raises the cooling load of the hosting site.",
        reviewed_on=today - dt.timedelta(days=60),
        reviewed_by=lead,
        review_date=today + dt.timedelta(days=300),
    )
    ContextIssue.objects.create(
        project=project, kind=IssueKind.EXTERNAL, title="Summer heat waves", climate_related=True, owner=lead,
        review_date=today + dt.timedelta(days=300),
    )  # fmt: skip
    service = Service.objects.create(project=project, name="Managed workplace", owner=lead)
    target = SlaTarget.objects.create(
        service=service, measure="Availability", target=Decimal("99.5"), unit="%"
    )
    first = today.replace(day=1)
    for back, value in enumerate(
        ("99.9", "99.7", "99.8", "99.2", "99.9", "99.6", "99.9", "99.8", "99.7", "99.9", "99.6", "99.8"), 1
    ):
        value = Decimal(value)
        SlaActual.objects.create(
            target=target, month=add_months(first, -back), value=value,
            met=meets(value, target.target, target.direction),
            recorded_by=lead,
        )  # fmt: skip
    supplier = Supplier.objects.create(
        project=project, name="Northwind Hosting", owner=lead, contract_reference="HOST-2025",
        contract_start=today - dt.timedelta(days=500), contract_expiry=today + dt.timedelta(days=230),
        review_date=today + dt.timedelta(days=60), performance_rating=PerformanceRating.GOOD,
    )  # fmt: skip
    supplier.services.set([service])
    risk = Risk.objects.create(
        project=project, title="Hosting site overheats", likelihood=2, impact=4, owner=lead,
        treatment="Second cooling unit installed; temperature alarms to the on-call engineer.",
        status=RiskStatus.TREATING, review_date=today + dt.timedelta(days=90),
    )  # fmt: skip
    risk.affected_services.set([service])
    objective = Objective.objects.create(
        project=project, title="Keep the workplace available", measure="Monthly availability",
        target=Decimal("99.5"),
        unit="%", direction=Direction.AT_LEAST, owner=lead, review_date=today + dt.timedelta(days=90),
    )  # fmt: skip
    ObjectiveMeasurement.objects.create(
        objective=objective, measured_on=add_months(first, -1), value=Decimal("99.8"), recorded_by=lead
    )
