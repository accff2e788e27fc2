"""SLA attainment and objectives status, read once for the management review, the management PDF
and the API: a constant number of queries whatever the size of the registers."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import Count, OuterRef, Q, Subquery
from django.utils.formats import date_format
from django.utils.translation import gettext

from projects.scheduling import add_months

from .models import Direction, Objective, ObjectiveMeasurement, ObjectiveStatus, SlaActual, meets


@dataclass(frozen=True)
class MonthAttainment:
    month: date
    met: int
    total: int

    @property
    def percent(self) -> int | None:
        return None if not self.total else round(100 * self.met / self.total)

    @property
    def label(self) -> str:
        return date_format(self.month, "YEAR_MONTH_FORMAT")  # "Nov 2026", German "Nov. 2026"


def month_start(day: date) -> date:
    return day.replace(day=1)


def sla_attainment(project, *, today: date, months: int = 12) -> list[MonthAttainment]:
    """Per month of the last `months` (the current one included): SLA month actuals met of recorded."""
    last = month_start(today)
    first = add_months(last, -(months - 1))
    counts = {
        row["month"]: row
        for row in SlaActual.objects.filter(
            target__service__project=project, month__gte=first, month__lte=last
        )
        .values("month")
        .annotate(total=Count("id"), met=Count("id", filter=Q(met=True)))
    }
    result = []
    for offset in range(months):
        month = add_months(first, offset)
        row = counts.get(month)
        result.append(MonthAttainment(month, row["met"] if row else 0, row["total"] if row else 0))
    return result


def missed_in(project, month: date, *, limit: int = 8) -> tuple[list[str], int]:
    """The SLA targets missed in a month ("E-mail — Availability 98.9% (target 99.5%)"), and how many."""
    rows = (
        SlaActual.objects.filter(target__service__project=project, month=month, met=False)
        .select_related("target__service")
        .order_by("target__service__name", "target__measure")
    )
    total = rows.count()
    return [
        f"{a.target.service.name} — {a.target.measure} {a.value.normalize():f}{a.target.unit} "
        f"(target {a.target.target.normalize():f}{a.target.unit})"
        for a in rows[:limit]
    ], total


@dataclass(frozen=True)
class ObjectiveState:
    objective: Objective
    latest_value: Decimal | None
    latest_on: date | None

    @property
    def met(self) -> bool | None:
        if self.latest_value is None:
            return None
        return meets(self.latest_value, self.objective.target, self.objective.direction)

    @property
    def state_label(self) -> str:
        return {
            None: gettext("No measurement yet"),
            True: gettext("On target"),
            False: gettext("Below target"),
        }[self.met]

    @property
    def target_label(self) -> str:
        op = "≥" if self.objective.direction == Direction.AT_LEAST else "≤"
        return f"{op} {self.objective.target.normalize():f}{self.objective.unit}"

    @property
    def latest_label(self) -> str:
        if self.latest_value is None:
            return "—"
        on = date_format(self.latest_on, "DATE_FORMAT")
        return f"{self.latest_value.normalize():f}{self.objective.unit} ({on})"


def objective_states(project, *, active_only: bool = True) -> list[ObjectiveState]:
    """Each objective with its latest measurement: one query."""
    latest = ObjectiveMeasurement.objects.filter(objective=OuterRef("pk")).order_by("-measured_on", "-pk")
    objectives = Objective.objects.filter(project=project).select_related("owner")
    if active_only:
        objectives = objectives.filter(status=ObjectiveStatus.ACTIVE)
    objectives = objectives.annotate(
        latest_value=Subquery(latest.values("value")[:1]),
        latest_on=Subquery(latest.values("measured_on")[:1]),
    ).order_by("title", "pk")
    return [ObjectiveState(o, o.latest_value, o.latest_on) for o in objectives]
