"""What a member holds in a project (open tasks, phases, documents, audits, findings, actions…)
and how it is handed over when they leave.

Each app registers its kinds of responsibility in its AppConfig.ready(), like progress providers
and blocker sources. Removing a member hands everything open they hold to a lead chosen on the
confirmation page, which lists it first: nothing is orphaned, nothing drops out of reminders.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import F, QuerySet
from django.utils import timezone

from .models import Phase, PhaseStatus, Task, TaskStatus


@dataclass(frozen=True)
class Responsibility:
    label: str  # plural, e.g. "Open tasks"
    items: Callable[..., QuerySet]  # (project, user) -> the open things the person holds
    field: str = ""  # the person field to hand over; or give `reassign`
    reassign: Callable[..., None] | None = None  # (queryset, project, old, new)

    def hand_over(self, project, old, new) -> int:
        items = self.items(project, old)
        count = items.count()
        if count:
            if self.reassign is not None:
                self.reassign(items, project, old, new)
            else:
                items.update(**{self.field: new}, **stamp(items.model))
        return count


@dataclass(frozen=True)
class Held:
    label: str
    count: int
    examples: list  # up to EXAMPLES objects, shown by their str()


def stamp(model) -> dict:
    """Fields an UPDATE must move too: the edit version (open forms then see a conflict instead
    of writing the old person back) and the modification time."""
    names = {f.name for f in model._meta.concrete_fields}
    values = {}
    if "version" in names:
        values["version"] = F("version") + 1
    if "updated_at" in names:
        values["updated_at"] = timezone.now()
    return values


EXAMPLES = 5
_responsibilities: list[Responsibility] = []


def register_responsibility(spec: Responsibility) -> Responsibility:
    if spec not in _responsibilities:
        _responsibilities.append(spec)
    return spec


def held_by(project, user) -> list[Held]:
    """Everything open the person holds in the project, kind by kind (two queries a kind)."""
    held = []
    for spec in _responsibilities:
        items = spec.items(project, user)
        count = items.count()
        if count:
            held.append(Held(spec.label, count, list(items[:EXAMPLES])))
    return held


def hand_over(project, old, new) -> list[tuple[str, int]]:
    """Give everything open `old` holds in the project to `new`; what moved, kind by kind."""
    moved = []
    for spec in _responsibilities:
        count = spec.hand_over(project, old, new)
        if count:
            moved.append((spec.label, count))
    return moved


register_responsibility(
    Responsibility(
        "Open tasks",
        lambda project, user: (
            Task.objects.filter(project=project, assignee=user)
            .exclude(status=TaskStatus.DONE)
            .order_by("due_date", "pk")
        ),
        field="assignee",
    )
)
register_responsibility(
    Responsibility(
        "Phases they own",
        lambda project, user: (
            Phase.objects.filter(project=project, owner=user)
            .exclude(status__in=(PhaseStatus.DONE, PhaseStatus.SKIPPED))
            .order_by("order")
        ),
        field="owner",
    )
)
