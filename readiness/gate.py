"""The evaluation of the two gates: `readiness(project, stage)`.

Stage 1 (the documentation and readiness review) and Stage 2 (the audit of the system in operation:
Stage 1 held, its areas of concern resolved, the full operating period, internal audits over every
clause, a management review after them). The project is ready for a stage when no rule of that
stage returns anything. The rules are readiness/rules/ (built in) and those other apps contribute
through the extension registry; each returns Blocker rows for one project with a constant number
of queries.

The readiness page reads like an auditor's pre-check: blockers grouped by category with a count,
in the order the work is best done (each group's `step`), each group with the action that
resolves it.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kernel import extensions
from kernel.extensions import Blocker, ReadinessGroup

from .rules import BUILT_IN

__all__ = ["STAGES", "Blocker", "BlockerGroup", "Readiness", "readiness"]

STAGES = (1, 2)


def _stage1_rules():
    return [*BUILT_IN.stage1, *extensions.readiness_blockers(1)]


def _stage2_rules():
    contributed = extensions.readiness_blockers(2)[len(extensions.readiness_blockers(1)) :]
    return [*BUILT_IN.stage2, *contributed]


def blockers_for(project, stage: int = 1) -> list[Blocker]:
    """What blocks the stage. Stage 2 rules may restate a Stage 1 condition more strictly (the
    operating period): a Stage 2 blocker about the same thing (category and link) as one already
    listed is left out."""
    if stage not in STAGES:
        raise ValueError(f"There is no certification stage {stage!r}: 1 or 2.")
    blockers: list[Blocker] = [blocker for rule in _stage1_rules() for blocker in rule(project)]
    if stage == 2:
        listed = {(blocker.category, blocker.url) for blocker in blockers}
        for rule in _stage2_rules():
            blockers.extend(b for b in rule(project) if not (b.url and (b.category, b.url) in listed))
    return blockers


def warnings_for(project) -> list[Blocker]:
    rules = [*BUILT_IN.warnings, *extensions.readiness_warnings()]
    return [warning for rule in rules for warning in rule(project)]


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
        return _("Stage %(stage)d") % {"stage": self.stage}


def readiness(project, stage: int = 1) -> Readiness:
    """The one entry point: every reader of readiness calls this."""
    blockers = blockers_for(project, stage)
    return Readiness(stage, blockers, _groups(project, blockers), warnings_for(project))


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
        # The category is a key (gettext_noop where it is defined), translated here for display.
        return _("%(category)s: %(count)d %(noun)s") % {
            "category": _(self.category),
            "count": self.count,
            "noun": noun,
        }


def group_specs() -> dict[str, ReadinessGroup]:
    return {**{group.category: group for group in BUILT_IN.groups}, **extensions.readiness_groups()}


def _groups(project, blockers: list[Blocker]) -> list[BlockerGroup]:
    """The blockers grouped by category, what to do first first (no query beyond the rules')."""
    specs = group_specs()
    by_category: dict[str, list[Blocker]] = {}
    for blocker in blockers:
        by_category.setdefault(blocker.category, []).append(blocker)
    groups = []
    for category, items in by_category.items():
        # A category no rule describes still shows, after the described ones.
        spec = specs.get(category) or ReadinessGroup(
            category, 100, gettext_lazy("blocker"), gettext_lazy("blockers")
        )
        action_url = spec.action_url(project) if spec.action_url else ""
        groups.append(BlockerGroup(spec=spec, blockers=items, action_url=action_url))
    return sorted(groups, key=lambda group: (group.spec.step, group.category))
