"""The service catalogue's SLA targets for tickets, and the monthly SLA actuals a frozen month fills.

A catalogue target counts for tickets when its measure names a kind of ticket and a time to resolve
it, and its unit is a percentage: "Incidents resolved within 8 hours" ≥ 90 % (registers.SlaTarget).
Tickets of that service (the ticket's service name, without regard to case) and of the process the
kind names (incident 8.6.1, service request 8.6.2, problem 8.6.3, change 8.5.1, release 8.5.3) are
then judged against that time, not the connector's targets (figures.sla_target_expression).

When a month is frozen, the share of its resolved tickets that met the time becomes the target's
actual for the month, marked computed, through registers.services.actual_record — which never
overwrites a figure entered by hand. The figure comes from the frozen rows, so a later sync that
disagrees changes nothing; freezing again (or the daily sweep) records the same figure again, which
changes nothing either."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal

from django.db.models import Case, Count, DurationField, ExpressionWrapper, F, Q, Value, When
from django.db.models.functions import Coalesce, Lower
from django.utils.translation import gettext as _

from registers.models import ActualSource, Direction, SlaTarget
from registers.services import actual_record

from .models import FrozenTicket

KINDS = {
    "incident": "8.6.1",
    "service request": "8.6.2",
    "request": "8.6.2",
    "problem": "8.6.3",
    "change": "8.5.1",
    "release": "8.5.3",
}
UNIT_HOURS = {"h": 1, "hr": 1, "hrs": 1, "hour": 1, "hours": 1, "d": 24, "day": 24, "days": 24}
UNIT_HOURS |= {"min": 1 / 60, "mins": 1 / 60, "minute": 1 / 60, "minutes": 1 / 60}
MEASURE = re.compile(
    r"^\s*(?P<kind>service requests?|requests?|incidents?|problems?|changes?|releases?)\b"
    r".*?\bwithin\s+(?P<number>\d+(?:[.,]\d+)?)\s*(?P<unit>[a-z]+)\b",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class CatalogueTarget:
    target: SlaTarget
    service: str  # the service's name, lower-cased (tickets are matched without regard to case)
    clause: str
    hours: float


def parse_measure(measure: str) -> tuple[str, float] | None:
    """(clause, hours) for "Incidents resolved within 8 hours"; None for a measure of anything else."""
    match = MEASURE.match(measure or "")
    if not match or match["unit"].lower() not in UNIT_HOURS:
        return None
    kind = match["kind"].lower()
    kind = kind[:-1] if kind.endswith("s") else kind
    hours = float(match["number"].replace(",", ".")) * UNIT_HOURS[match["unit"].lower()]
    return (KINDS[kind], hours) if hours > 0 else None


def catalogue_targets(project) -> list[CatalogueTarget]:
    """The project's SLA targets that set a time to resolve a kind of ticket (one query)."""
    found, seen = [], set()
    rows = (
        SlaTarget.objects.filter(service__project=project, direction=Direction.AT_LEAST)
        .select_related("service")
        .order_by("service__name", "measure", "pk")
    )
    for target in rows:
        parsed = parse_measure(target.measure)
        if parsed is None or target.unit.strip() not in ("%", "percent"):
            continue
        key = (target.service.name.strip().lower(), parsed[0])
        if key in seen:  # two targets for one service and process: the first (by measure) counts
            continue
        seen.add(key)
        found.append(CatalogueTarget(target, key[0], parsed[0], parsed[1]))
    return found


def record_sla_actuals(populations, *, user=None) -> list:
    """Fill the catalogue targets' computed months from frozen populations (of one project): one
    query for the figures, then actual_record per target and month that has resolved tickets."""
    populations = list(populations)
    if not populations:
        return []
    targets = catalogue_targets(populations[0].project)
    if not targets:
        return []
    by_key = {(t.service, t.clause): t for t in targets}
    limit = Case(
        *[
            When(Q(_service=t.service, population__clause=t.clause), then=Value(timedelta(hours=t.hours)))
            for t in targets
        ],
        default=Value(None),
        output_field=DurationField(),
    )
    rows = (
        FrozenTicket.objects.filter(population__in=populations)
        .annotate(_service=Lower("service_name"), _done=Coalesce("resolved_at", "closed_at"))
        .annotate(
            _res=ExpressionWrapper(F("_done") - F("opened_at"), output_field=DurationField()),
            _limit=limit,
        )
        .filter(_done__isnull=False, _limit__isnull=False)
        .values("population__clause", "population__month", "_service")
        .annotate(total=Count("id"), met=Count("id", filter=Q(_res__lte=F("_limit"))))
        .order_by("population__month", "population__clause", "_service")
    )
    recorded = []
    for row in rows:
        target = by_key[(row["_service"], row["population__clause"])]
        value = (Decimal(100) * row["met"] / row["total"]).quantize(Decimal("0.1"))
        hours = f"{target.hours:g}"
        recorded.append(
            actual_record(
                target=target.target,
                month=row["population__month"],
                value=value,
                source=ActualSource.COMPUTED,
                note=_("Computed from the frozen tickets: %(met)s of %(total)s resolved within %(hours)s h.")
                % {"met": row["met"], "total": row["total"], "hours": hours},
                user=user,
            )
        )
    return recorded
