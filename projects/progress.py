"""Phase progress derived from the work itself.

Tasks count for every phase. Other apps (gap analysis, documents, audits) declare progress
providers in their integration.py (kernel.extensions); a provider returns
{phase_key: (done, total)} for one project, read with a constant number of queries. `projects`
never imports those apps.
"""

from __future__ import annotations

from collections import defaultdict

from django.db.models import Count, Q

from kernel.extensions import progress_providers


def phase_progress(project, phases) -> dict[int, int]:
    """Progress 0–100 per phase id, from tasks and every registered provider."""
    from .models import PhaseStatus, TaskStatus

    parts: dict[str, list[tuple[float, float]]] = defaultdict(list)
    task_counts = project.tasks.values("phase__key").annotate(
        total=Count("id"), done=Count("id", filter=Q(status=TaskStatus.DONE))
    )
    for row in task_counts:
        parts[row["phase__key"]].append((row["done"], row["total"]))
    for provider in progress_providers():
        for key, (done, total) in provider(project).items():
            parts[key].append((done, total))

    result = {}
    for phase in phases:
        if phase.status == PhaseStatus.DONE:
            result[phase.pk] = 100
            continue
        done = sum(d for d, _ in parts[phase.key])
        total = sum(t for _, t in parts[phase.key])
        result[phase.pk] = min(100, round(100 * done / total)) if total else 0
    return result


def overall_progress(phases, progress_by_phase: dict[int, int]) -> int:
    """Mean of phase progress weighted by planned duration; skipped phases leave the base."""
    weighted = total_days = 0
    for phase in phases:
        if phase.status == "skipped":
            continue
        days = (phase.planned_end - phase.planned_start).days + 1
        weighted += progress_by_phase.get(phase.pk, 0) * days
        total_days += days
    return round(weighted / total_days) if total_days else 0
