"""Builders of register entries for the tests (straight to the tables: the services are tested on
their own)."""

import datetime as dt
from decimal import Decimal

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
    meets,
)


def make_service(project, *, name="E-mail", owner=None, **fields):
    return Service.objects.create(project=project, name=name, owner=owner, **fields)


def make_target(service, *, measure="Availability", target="99.5", unit="%", **fields):
    return SlaTarget.objects.create(
        service=service, measure=measure, target=Decimal(target), unit=unit, **fields
    )


def make_actual(target, *, month=dt.date(2026, 10, 1), value="99.9", **fields):
    value = Decimal(value)
    return SlaActual.objects.create(
        target=target, month=month, value=value, met=meets(value, target.target, target.direction), **fields
    )


def make_supplier(project, *, name="Hosting Ltd", owner=None, **fields):
    return Supplier.objects.create(project=project, name=name, owner=owner, **fields)


def make_risk(project, *, title="Cooling fails", owner=None, **fields):
    return Risk.objects.create(project=project, title=title, owner=owner, **fields)


def make_objective(project, *, title="Faster fixes", owner=None, **fields):
    fields.setdefault("measure", "First-contact resolution")
    fields.setdefault("target", Decimal("70"))
    return Objective.objects.create(project=project, title=title, owner=owner, **fields)


def make_measurement(objective, *, measured_on=dt.date(2026, 10, 1), value="65"):
    return ObjectiveMeasurement.objects.create(
        objective=objective, measured_on=measured_on, value=Decimal(value)
    )


def make_issue(project, *, title="Heat waves", owner=None, kind="external", **fields):
    return ContextIssue.objects.create(project=project, title=title, owner=owner, kind=kind, **fields)


def make_party(project, *, name="Customers", owner=None, **fields):
    return InterestedParty.objects.create(project=project, name=name, owner=owner, **fields)
