"""Certification readiness: the computed list of what still blocks Stage 1.

Each app registers a blocker source in its AppConfig.ready(); a source returns Blocker rows
for one project with a constant number of queries. The project is ready when no source
returns anything. `projects` itself contributes the roadmap condition.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.urls import reverse


@dataclass(frozen=True)
class Blocker:
    category: str  # e.g. "Roadmap", "Documented information", "Internal audit"
    message: str
    url: str = ""


BlockerSource = Callable[..., list[Blocker]]
_sources: list[BlockerSource] = []


def register_blocker_source(source: BlockerSource) -> BlockerSource:
    if source not in _sources:
        _sources.append(source)
    return source


def readiness_blockers(project) -> list[Blocker]:
    blockers: list[Blocker] = []
    for source in _sources:
        blockers.extend(source(project))
    return blockers


@register_blocker_source
def roadmap_phases_not_done(project) -> list[Blocker]:
    """Phases 1–12 must be done (optional ones may be skipped) before Stage 1."""
    from .models import PhaseStatus

    open_phases = project.phases.exclude(key__in=("S1", "S2")).exclude(
        status__in=(PhaseStatus.DONE, PhaseStatus.SKIPPED)
    )
    return [
        Blocker(
            "Roadmap",
            f"Phase {phase.label} {phase.title} is {phase.get_status_display().lower()}.",
            reverse("projects:phase_detail", args=[project.pk, phase.pk]),
        )
        for phase in open_phases.order_by("order")
    ]
