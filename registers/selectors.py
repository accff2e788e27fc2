"""Reads of the registers, always scoped to one project."""

from __future__ import annotations

import datetime as dt
from functools import reduce
from operator import or_

from django.db.models import Count, Q
from django.http import Http404

from .forms import review_q
from .kinds import KINDS, Kind
from .models import ContextDetermination, SlaActual


def base_queryset(kind: Kind, project):
    rows = kind.model.objects.filter(**{kind.project_path: project})
    if kind.select_related:
        rows = rows.select_related(*kind.select_related)
    if kind.prefetch:
        rows = rows.prefetch_related(*kind.prefetch)
    return rows


def entry_list(kind: Kind, project, filters: dict | None = None, *, today: dt.date | None = None):
    """The register's rows, filtered: search text, choice filters, owner, review date."""
    filters = filters or {}
    rows = base_queryset(kind, project)
    text = filters.get("q", "").strip()
    if text and kind.search:
        rows = rows.filter(reduce(or_, (Q(**{f"{name}__icontains": text}) for name in kind.search)))
    for spec in kind.filters:
        if filters.get(spec.field):
            rows = rows.filter(**{spec.field: filters[spec.field]})
    if filters.get("owner"):
        rows = rows.filter(owner=filters["owner"])
    if filters.get("review"):
        rows = rows.filter(review_q(filters["review"], today or dt.date.today()))
    return rows


def entry_detail(kind: Kind, project, pk):
    try:
        return base_queryset(kind, project).get(pk=pk)
    except kind.model.DoesNotExist:
        raise Http404(f"No such {kind.noun} in this project.") from None


def entry_for_parent(kind: Kind, project, pk):
    """The parent of a child kind (the service of a target...), in the project, or 404."""
    return entry_detail(KINDS[kind.parent], project, pk)


def determination(project) -> ContextDetermination | None:
    return ContextDetermination.objects.select_related("reviewed_by").filter(project=project).first()


def targets_of(service):
    return list(service.sla_targets.order_by("measure"))


def recent_actuals(targets, *, since: dt.date) -> dict[int, list[SlaActual]]:
    """Each target's actuals from `since` on, newest first, in one query."""
    result = {t.pk: [] for t in targets}
    for actual in SlaActual.objects.filter(target__in=targets, month__gte=since).order_by(
        "target_id", "-month"
    ):
        result[actual.target_id].append(actual)
    return result


def actuals_of(target, *, limit: int = 36):
    return list(target.actuals.select_related("recorded_by").order_by("-month")[:limit])


def measurements_of(objective, *, limit: int = 36):
    return list(objective.measurements.select_related("recorded_by").order_by("-measured_on")[:limit])


def context_counts(project) -> dict:
    from .models import ContextIssue, InterestedParty

    issues = ContextIssue.objects.filter(project=project).aggregate(
        internal=Count("pk", filter=Q(kind="internal")),
        external=Count("pk", filter=Q(kind="external")),
        climate=Count("pk", filter=Q(climate_related=True)),
    )
    return {**issues, "parties": InterestedParty.objects.filter(project=project).count()}
