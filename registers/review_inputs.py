"""What the registers tell the management review (9.3), appended to the pre-filled inputs
(audits.reviews through the `review_inputs` extension): the SLA attainment trend and the objectives
status (performance), supplier performance (other parties), risk changes (risks and opportunities),
context changes including the climate-change determination (context). Changes are counted since the
latest finalised review (or the last 12 months when there is none). A constant number of queries."""

from __future__ import annotations

from collections import Counter
from datetime import date

from django.db.models import Count, Q

from projects.scheduling import add_months

from .attainment import missed_in, objective_states, sla_attainment
from .models import (
    ClimateRelevance,
    ContextDetermination,
    ContextIssue,
    InterestedParty,
    PerformanceRating,
    Risk,
    RiskKind,
    RiskStatus,
    Service,
    Supplier,
)

TREND_MONTHS = 6
HIGH_SCORE = 15  # likelihood × impact from which a risk is named


def _since(project, today: date) -> tuple[date, str]:
    from audits.models import ManagementReview, ReviewStatus

    last = (
        ManagementReview.objects.filter(project=project, status=ReviewStatus.FINAL, meeting_date__lte=today)
        .order_by("-meeting_date")
        .values_list("meeting_date", flat=True)
        .first()
    )
    if last is not None:
        return last, f"since the last review ({last:%-d %b %Y})"
    start = add_months(today, -12)
    return start, f"in the last 12 months (since {start:%-d %b %Y})"


def _names(items: list[str], limit: int = 6) -> str:
    shown = "; ".join(items[:limit])
    return shown + (f"; and {len(items) - limit} more" if len(items) > limit else "")


def sla_lines(project, *, today: date) -> list[str]:
    trend = sla_attainment(project, today=today, months=TREND_MONTHS)
    recorded = [m for m in trend if m.total]
    if not recorded:
        if Service.objects.filter(project=project).exists():
            return ["SLA attainment: no monthly SLA actuals recorded in the last six months."]
        return ["SLA attainment: the service catalogue is empty."]
    lines = [
        "SLA attainment, targets met of recorded, last six months: "
        + ", ".join(
            f"{m.label} {m.met}/{m.total} ({m.percent}%)" if m.total else f"{m.label} —" for m in trend
        )
        + "."
    ]
    latest = recorded[-1]
    missed, count = missed_in(project, latest.month)
    if count:
        lines.append(f"Missed in {latest.label} ({count}): {_names(missed)}.")
    return lines


def objective_lines(project) -> list[str]:
    states = objective_states(project)
    if not states:
        return ["Service management objectives: none active in the register."]
    counts = Counter(s.met for s in states)
    lines = [
        f"Objectives ({len(states)} active): {counts[True]} on target, {counts[False]} below target, "
        f"{counts[None]} without a measurement."
    ]
    below = [
        f"{s.objective.title} {s.latest_label} (target {s.target_label})" for s in states if s.met is False
    ]
    if below:
        lines.append(f"Below target: {_names(below)}.")
    return lines


def supplier_lines(project, *, today: date) -> list[str]:
    suppliers = list(
        Supplier.objects.filter(project=project)
        .only("name", "performance_rating", "contract_expiry", "disputes")
        .order_by("name")
    )
    if not suppliers:
        return ["Supplier register: empty."]
    ratings = Counter(s.performance_rating for s in suppliers)
    labels = dict(PerformanceRating.choices)
    lines = [
        f"Supplier performance ({len(suppliers)} suppliers): "
        + ", ".join(f"{labels[r].lower()} {ratings[r]}" for r in PerformanceRating.values if ratings[r])
        + "."
    ]
    weak = [
        f"{s.name} ({labels[s.performance_rating].lower()})"
        for s in suppliers
        if s.performance_rating in (PerformanceRating.POOR, PerformanceRating.NEEDS_IMPROVEMENT)
    ]
    if weak:
        lines.append(f"Performing poorly or needing improvement: {_names(weak)}.")
    expired = [
        f"{s.name} ({s.contract_expiry:%-d %b %Y})"
        for s in suppliers
        if s.contract_expiry and s.contract_expiry < today
    ]
    soon = [
        f"{s.name} ({s.contract_expiry:%-d %b %Y})"
        for s in suppliers
        if s.contract_expiry and today <= s.contract_expiry <= add_months(today, 3)
    ]
    if expired:
        lines.append(f"Contracts expired: {_names(expired)}.")
    if soon:
        lines.append(f"Contracts expiring within three months: {_names(soon)}.")
    disputes = sum(bool(s.disputes.strip()) for s in suppliers)
    if disputes:
        lines.append(f"Suppliers with disputes recorded: {disputes}.")
    return lines


def risk_lines(project, *, today: date) -> list[str]:
    since, since_label = _since(project, today)
    totals = Risk.objects.filter(project=project).aggregate(
        risks=Count("id", filter=Q(kind=RiskKind.RISK)),
        opportunities=Count("id", filter=Q(kind=RiskKind.OPPORTUNITY)),
        new=Count("id", filter=Q(created_at__date__gte=since)),
        changed=Count("id", filter=Q(updated_at__date__gte=since, created_at__date__lt=since)),
        closed=Count("id", filter=Q(status=RiskStatus.CLOSED, updated_at__date__gte=since)),
        untreated=Count("id", filter=Q(status=RiskStatus.IDENTIFIED)),
    )
    if not totals["risks"] and not totals["opportunities"]:
        return ["Risks and opportunities: the register is empty."]
    lines = [
        f"Risk register: {totals['risks']} risks, {totals['opportunities']} opportunities; {since_label}: "
        f"{totals['new']} new, {totals['changed']} changed, {totals['closed']} closed. "
        f"Awaiting treatment: {totals['untreated']}."
    ]
    high = [
        f"{r.title} (score {r.score}, {r.get_status_display().lower()})"
        for r in Risk.objects.filter(project=project, kind=RiskKind.RISK)
        .exclude(status=RiskStatus.CLOSED)
        .only("title", "likelihood", "impact", "status")
        .order_by("-likelihood", "-impact", "title")[:20]
        if r.score >= HIGH_SCORE
    ]
    if high:
        lines.append(f"High risks still open: {_names(high)}.")
    return lines


def context_lines(project, *, today: date) -> list[str]:
    since, since_label = _since(project, today)
    determination = ContextDetermination.objects.filter(project=project).first()
    if determination is None or determination.climate_change == ClimateRelevance.UNDETERMINED:
        lines = ["Climate change: whether it is a relevant issue is not yet determined (4.1, Amd 1:2024)."]
    else:
        lines = [
            f"Climate change is {determination.get_climate_change_display().lower()} as an issue: "
            f"{determination.climate_change_reason.strip()}"
        ]
    if determination is not None and determination.reviewed_on:
        lines.append(f"Context last reviewed on {determination.reviewed_on:%-d %b %Y}.")
    else:
        lines.append("The context has never been reviewed.")
    issues = ContextIssue.objects.filter(project=project).aggregate(
        total=Count("id"),
        new=Count("id", filter=Q(created_at__date__gte=since)),
        changed=Count("id", filter=Q(updated_at__date__gte=since, created_at__date__lt=since)),
        climate=Count("id", filter=Q(climate_related=True)),
    )
    parties = InterestedParty.objects.filter(project=project).aggregate(
        total=Count("id"),
        new=Count("id", filter=Q(created_at__date__gte=since)),
        changed=Count("id", filter=Q(updated_at__date__gte=since, created_at__date__lt=since)),
        climate=Count("id", filter=~Q(climate_requirements="")),
    )
    lines.append(
        f"Issues: {issues['total']} ({issues['climate']} climate-related); "
        f"{since_label} {issues['new']} new, "
        f"{issues['changed']} changed."
    )
    lines.append(
        f"Interested parties: {parties['total']} ({parties['climate']} with climate-related requirements); "
        f"{since_label} {parties['new']} new, {parties['changed']} changed."
    )
    return lines


def register_review_inputs(project, *, today: date) -> dict[str, list[str]]:
    return {
        "context_changes": context_lines(project, today=today),
        "performance": [*sla_lines(project, today=today), *objective_lines(project)],
        "other_parties": supplier_lines(project, today=today),
        "risks": risk_lines(project, today=today),
    }
