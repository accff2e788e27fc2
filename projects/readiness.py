"""Certification readiness: the computed list of what still blocks Stage 1.

Each app declares its blocker sources in its integration.py (sms_tracker.core.extensions); a
source returns Blocker rows for one project with a constant number of queries. The project is ready
when no source returns anything. `projects` itself contributes the roadmap condition.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import reverse

from sms_tracker.core.extensions import readiness_blockers as blocker_sources

from .roadmap import CERTIFICATION_STAGES


@dataclass(frozen=True)
class Blocker:
    category: str  # e.g. "Roadmap", "Documented information", "Internal audit"
    message: str
    url: str = ""


def readiness_blockers(project) -> list[Blocker]:
    blockers: list[Blocker] = []
    for source in blocker_sources():
        blockers.extend(source(project))
    return blockers


def roadmap_phases_not_done(project) -> list[Blocker]:
    """Phases 1–12 must be done (optional ones may be skipped) before Stage 1."""
    from .models import PhaseStatus

    open_phases = project.phases.exclude(key__in=CERTIFICATION_STAGES).exclude(
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
