"""What a member holds in a project (open tasks, phases, documents, audits, findings, actions…)
and how it is handed over when they leave.

Each app declares its kinds of responsibility in its integration.py (Contributions.responsibilities
of kernel.extensions). Removing a member hands everything open they hold to a lead chosen on the
confirmation page, which lists it first: nothing is orphaned, nothing drops out of reminders.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kernel import extensions
from kernel.extensions import Responsibility

from .models import Phase, PhaseStatus, Task, TaskStatus


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


def _hand_over_one(spec: Responsibility, project, old, new) -> int:
    items = spec.items(project, old)
    count = items.count()
    if count:
        if spec.reassign is not None:
            spec.reassign(items, project, old, new)
        else:
            items.update(**{spec.field: new}, **stamp(items.model))
    return count


def held_by(project, user) -> list[Held]:
    """Everything open the person holds in the project, kind by kind (two queries a kind)."""
    held = []
    for spec in extensions.responsibilities():
        items = spec.items(project, user)
        count = items.count()
        if count:
            held.append(Held(spec.label, count, list(items[:EXAMPLES])))
    return held


def hand_over(project, old, new) -> list[tuple[str, int]]:
    """Give everything open `old` holds in the project to `new`; what moved, kind by kind."""
    moved = []
    for spec in extensions.responsibilities():
        count = _hand_over_one(spec, project, old, new)
        if count:
            moved.append((spec.label, count))
    return moved


PROJECT_RESPONSIBILITIES = (
    Responsibility(
        _("Open tasks"),
        lambda project, user: (
            Task.objects.filter(project=project, assignee=user)
            .exclude(status=TaskStatus.DONE)
            .order_by("due_date", "pk")
        ),
        field="assignee",
    ),
    Responsibility(
        _("Phases they own"),
        lambda project, user: (
            Phase.objects.filter(project=project, owner=user)
            .exclude(status__in=(PhaseStatus.DONE, PhaseStatus.SKIPPED))
            .order_by("order")
        ),
        field="owner",
    ),
)
