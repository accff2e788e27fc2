"""What the registers tell the management review (9.3), appended to the pre-filled inputs
(audits.reviews through the `review_inputs` extension): the SLA attainment trend and the objectives
status (performance), supplier performance (other parties), risk changes (risks and opportunities),
context changes including the climate-change determination (context). Changes are counted since the
latest finalised review (or the last 12 months when there is none). A constant number of queries."""

from __future__ import annotations

from collections import Counter
from datetime import date

from django.db.models import Count, Q
from django.utils import translation
from django.utils.formats import date_format, number_format
from django.utils.translation import gettext

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
        return last, gettext("since the last review (%(date)s)") % {"date": _day(last)}
    start = add_months(today, -12)
    return start, gettext("in the last 12 months (since %(date)s)") % {"date": _day(start)}


def _day(value: date) -> str:
    return date_format(value, "DATE_FORMAT")


def _lower(label) -> str:
    """A choice's label mid-sentence: lower case in English (as the text always read), German keeps
    its capitals, other languages lower the first letter."""
    text = str(label)
    language = (translation.get_language() or "en").split("-")[0]
    if language == "en":
        return text.lower()
    return text if language == "de" else text[:1].lower() + text[1:]


def _names(items: list[str], limit: int = 6) -> str:
    shown = "; ".join(items[:limit])
    more = gettext("; and %(count)s more") % {"count": len(items) - limit} if len(items) > limit else ""
    return shown + more


def sla_lines(project, *, today: date) -> list[str]:
    trend = sla_attainment(project, today=today, months=TREND_MONTHS)
    recorded = [m for m in trend if m.total]
    if not recorded:
        if Service.objects.filter(project=project).exists():
            return [gettext("SLA attainment: no monthly SLA actuals recorded in the last six months.")]
        return [gettext("SLA attainment: the service catalogue is empty.")]
    months = ", ".join(
        f"{m.label} {m.met}/{m.total} ({number_format(m.percent)}%)" if m.total else f"{m.label} —"
        for m in trend
    )
    lines = [
        gettext("SLA attainment, targets met of recorded, last six months: %(months)s.") % {"months": months}
    ]
    latest = recorded[-1]
    missed, count = missed_in(project, latest.month)
    if count:
        lines.append(
            gettext("Missed in %(month)s (%(count)s): %(names)s.")
            % {"month": latest.label, "count": count, "names": _names(missed)}
        )
    return lines


def objective_lines(project) -> list[str]:
    states = objective_states(project)
    if not states:
        return [gettext("Service management objectives: none active in the register.")]
    counts = Counter(s.met for s in states)
    lines = [
        gettext(
            "Objectives (%(active)s active): %(met)s on target, %(below)s below target, "
            "%(unmeasured)s without a measurement."
        )
        % {"active": len(states), "met": counts[True], "below": counts[False], "unmeasured": counts[None]}
    ]
    below = [
        gettext("%(objective)s %(latest)s (target %(target)s)")
        % {"objective": s.objective.title, "latest": s.latest_label, "target": s.target_label}
        for s in states
        if s.met is False
    ]
    if below:
        lines.append(gettext("Below target: %(names)s.") % {"names": _names(below)})
    return lines


def supplier_lines(project, *, today: date) -> list[str]:
    suppliers = list(
        Supplier.objects.filter(project=project)
        .only("name", "performance_rating", "contract_expiry", "disputes")
        .order_by("name")
    )
    if not suppliers:
        return [gettext("Supplier register: empty.")]
    ratings = Counter(s.performance_rating for s in suppliers)
    labels = dict(PerformanceRating.choices)
    rated = ", ".join(f"{_lower(labels[r])} {ratings[r]}" for r in PerformanceRating.values if ratings[r])
    lines = [
        gettext("Supplier performance (%(count)s suppliers): %(ratings)s.")
        % {"count": len(suppliers), "ratings": rated}
    ]
    weak = [
        f"{s.name} ({_lower(labels[s.performance_rating])})"
        for s in suppliers
        if s.performance_rating in (PerformanceRating.POOR, PerformanceRating.NEEDS_IMPROVEMENT)
    ]
    if weak:
        lines.append(
            gettext("Performing poorly or needing improvement: %(names)s.") % {"names": _names(weak)}
        )
    expired = [
        f"{s.name} ({_day(s.contract_expiry)})"
        for s in suppliers
        if s.contract_expiry and s.contract_expiry < today
    ]
    soon = [
        f"{s.name} ({_day(s.contract_expiry)})"
        for s in suppliers
        if s.contract_expiry and today <= s.contract_expiry <= add_months(today, 3)
    ]
    if expired:
        lines.append(gettext("Contracts expired: %(names)s.") % {"names": _names(expired)})
    if soon:
        lines.append(gettext("Contracts expiring within three months: %(names)s.") % {"names": _names(soon)})
    disputes = sum(bool(s.disputes.strip()) for s in suppliers)
    if disputes:
        lines.append(gettext("Suppliers with disputes recorded: %(count)s.") % {"count": disputes})
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
        return [gettext("Risks and opportunities: the register is empty.")]
    lines = [
        gettext(
            "Risk register: %(risks)s risks, %(opportunities)s opportunities; %(since)s: "
            "%(new)s new, %(changed)s changed, %(closed)s closed. Awaiting treatment: %(untreated)s."
        )
        % {**totals, "since": since_label}
    ]
    high = [
        gettext("%(title)s (score %(score)s, %(status)s)")
        % {"title": r.title, "score": r.score, "status": _lower(r.get_status_display())}
        for r in Risk.objects.filter(project=project, kind=RiskKind.RISK)
        .exclude(status=RiskStatus.CLOSED)
        .only("title", "likelihood", "impact", "status")
        .order_by("-likelihood", "-impact", "title")[:20]
        if r.score >= HIGH_SCORE
    ]
    if high:
        lines.append(gettext("High risks still open: %(names)s.") % {"names": _names(high)})
    return lines


def context_lines(project, *, today: date) -> list[str]:
    since, since_label = _since(project, today)
    determination = ContextDetermination.objects.filter(project=project).first()
    if determination is None or determination.climate_change == ClimateRelevance.UNDETERMINED:
        lines = [
            gettext("Climate change: whether it is a relevant issue is not yet determined (4.1, Amd 1:2024).")
        ]
    else:
        lines = [
            gettext("Climate change is %(relevance)s as an issue: %(reason)s")
            % {
                "relevance": _lower(determination.get_climate_change_display()),
                "reason": determination.climate_change_reason.strip(),
            }
        ]
    if determination is not None and determination.reviewed_on:
        lines.append(
            gettext("Context last reviewed on %(date)s.") % {"date": _day(determination.reviewed_on)}
        )
    else:
        lines.append(gettext("The context has never been reviewed."))
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
        gettext(
            "Issues: %(total)s (%(climate)s climate-related); %(since)s %(new)s new, %(changed)s changed."
        )
        % {**issues, "since": since_label}
    )
    lines.append(
        gettext(
            "Interested parties: %(total)s (%(climate)s with climate-related requirements); "
            "%(since)s %(new)s new, %(changed)s changed."
        )
        % {**parties, "since": since_label}
    )
    return lines


def register_review_inputs(project, *, today: date) -> dict[str, list[str]]:
    return {
        "context_changes": context_lines(project, today=today),
        "performance": [*sla_lines(project, today=today), *objective_lines(project)],
        "other_parties": supplier_lines(project, today=today),
        "risks": risk_lines(project, today=today),
    }
