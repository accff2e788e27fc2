"""Certification readiness, in one place: the two gates a certification body applies.

Stage 1 (the documentation and readiness review) and Stage 2 (the audit of the system in operation:
Stage 1 held, its areas of concern resolved, the full operating period, internal audits over every
clause, a management review after them). `readiness(project, stage)` is what the readiness pages,
the dashboard card, the PDFs, the API, the `readiness` command and the readiness.changed webhook read.

Each app declares its blocker sources in its integration.py (kernel.extensions); a
source returns Blocker rows for one project with a constant number of queries. The project is ready
for a stage when no source of that stage returns anything. `projects` itself contributes the
roadmap condition.

The readiness page reads like an auditor's pre-check: blockers grouped by category with a count,
in the order the work is best done (each app's ReadinessGroup `step`), each group with the action
that resolves it.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import reverse

from kernel.extensions import ReadinessGroup
from kernel.extensions import readiness_blockers as blocker_sources
from kernel.extensions import readiness_groups as group_specs
from kernel.extensions import readiness_warnings as warning_sources

from .roadmap import CERTIFICATION_STAGES

CATEGORY_ROADMAP = "Roadmap"


@dataclass(frozen=True)
class Blocker:
    category: str  # e.g. "Roadmap", "Documented information", "Internal audit"
    message: str
    url: str = ""


STAGES = (1, 2)


def readiness_blockers(project, stage: int = 1) -> list[Blocker]:
    """What blocks the stage. Stage 2 sources may restate a Stage 1 condition more strictly (the
    operating period): a Stage 2 blocker about the same thing (category and link) as one already
    listed is left out."""
    if stage not in STAGES:
        raise ValueError(f"There is no certification stage {stage!r}: 1 or 2.")
    first = blocker_sources(1)
    blockers: list[Blocker] = [blocker for source in first for blocker in source(project)]
    listed = {(blocker.category, blocker.url) for blocker in blockers}
    for source in blocker_sources(stage)[len(first) :]:
        blockers.extend(b for b in source(project) if not (b.url and (b.category, b.url) in listed))
    return blockers


@dataclass
class Readiness:
    """One gate: its blockers, grouped by what to do first, and the warnings that do not block."""

    stage: int
    blockers: list[Blocker]
    groups: list
    warnings: list[Blocker]

    @property
    def ready(self) -> bool:
        return not self.blockers

    @property
    def title(self) -> str:
        return f"Stage {self.stage}"


def readiness(project, stage: int = 1) -> Readiness:
    blockers = readiness_blockers(project, stage)
    warnings = [warning for source in warning_sources() for warning in source(project)]
    return Readiness(stage, blockers, readiness_groups(project, blockers), warnings)


@dataclass
class BlockerGroup:
    spec: ReadinessGroup
    blockers: list[Blocker]
    action_url: str

    @property
    def category(self) -> str:
        return self.spec.category

    @property
    def count(self) -> int:
        return len(self.blockers)

    @property
    def headline(self) -> str:
        """e.g. "Internal audit: 57 clauses not yet covered"."""
        noun = self.spec.noun if self.count == 1 else self.spec.plural
        return f"{self.category}: {self.count} {noun}"


def readiness_groups(project, blockers: list[Blocker] | None = None) -> list[BlockerGroup]:
    """The blockers grouped by category, what to do first first (no query beyond the sources')."""
    blockers = readiness_blockers(project) if blockers is None else blockers
    specs = group_specs()
    by_category: dict[str, list[Blocker]] = {}
    for blocker in blockers:
        by_category.setdefault(blocker.category, []).append(blocker)
    groups = []
    for category, items in by_category.items():
        # A category no app describes still shows, after the described ones.
        spec = specs.get(category) or ReadinessGroup(category, 100, "blocker", "blockers")
        action_url = spec.action_url(project) if spec.action_url else ""
        groups.append(BlockerGroup(spec=spec, blockers=items, action_url=action_url))
    return sorted(groups, key=lambda group: (group.spec.step, group.category))


def roadmap_phases_not_done(project) -> list[Blocker]:
    """Phases 1–12 must be done (optional ones may be skipped) before Stage 1."""
    from .models import PhaseStatus

    open_phases = project.phases.exclude(key__in=CERTIFICATION_STAGES).exclude(
        status__in=(PhaseStatus.DONE, PhaseStatus.SKIPPED)
    )
    return [
        Blocker(
            CATEGORY_ROADMAP,
            f"Phase {phase.label} {phase.title} is {phase.get_status_display().lower()}.",
            reverse("projects:phase_detail", args=[project.pk, phase.pk]),
        )
        for phase in open_phases.order_by("order")
    ]
