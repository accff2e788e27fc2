"""The lead's bulk changes to tasks: assign, move to another phase, set the due date.

Two steps: the lead picks tasks and an action, sees a summary of what will change (each task with
the version it had then), and confirms. The change is one transaction over the locked rows; a task
someone changed or deleted after the summary was shown is skipped and reported, never overwritten.
Ids of another project's tasks refuse the whole request before anything is written.
"""

from dataclasses import dataclass, field
from datetime import date

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, gettext_noop, ngettext_lazy

from . import activity
from .models import Membership, Phase, Project, Task
from .progress_refresh import progress_refresh_on_commit

MAX_BULK_TASKS = 100  # a page of the task list holds 25; a request with more is not from the page


class BulkAction(models.TextChoices):
    ASSIGN = "assign", gettext_lazy("Assign to")
    MOVE = "move", gettext_lazy("Move to phase")
    DUE = "due", gettext_lazy("Set due date")


@dataclass
class BulkChange:
    action: str
    assignee: object = None  # a member, or None to unassign
    phase: Phase | None = None
    due_date: date | None = None

    @property
    def summary(self) -> str:
        if self.action == BulkAction.ASSIGN:
            if self.assignee is None:
                return _("Unassign")
            return _("Assign to %(person)s") % {
                "person": self.assignee.get_full_name() or self.assignee.username
            }
        if self.action == BulkAction.MOVE:
            return _("Move to phase %(label)s %(title)s") % {
                "label": self.phase.label,
                "title": self.phase.display_title,
            }
        if self.due_date:
            return _("Set the due date to %(date)s") % {"date": date_format(self.due_date, "DATE_FORMAT")}
        return _("Clear the due date")

    def summary_part(self) -> dict:
        """`summary` kept for the activity line: worded, lower case first, in its reader's language."""
        if self.action == BulkAction.ASSIGN:
            if self.assignee is None:
                return activity.nested(gettext_noop("Unassign"), lower_first=True)
            person = self.assignee.get_full_name() or self.assignee.username
            return activity.nested(gettext_noop("Assign to %(person)s"), {"person": person}, lower_first=True)
        if self.action == BulkAction.MOVE:
            return activity.nested(
                gettext_noop("Move to phase %(label)s %(title)s"),
                {"label": self.phase.label, "title": activity.phase_title(self.phase)},
                lower_first=True,
            )
        if self.due_date:
            return activity.nested(
                gettext_noop("Set the due date to %(date)s"),
                {"date": activity.day(self.due_date)},
                lower_first=True,
            )
        return activity.nested(gettext_noop("Clear the due date"), lower_first=True)

    @property
    def field_name(self) -> str:
        return {BulkAction.ASSIGN: "assignee", BulkAction.MOVE: "phase"}.get(self.action, "due_date")

    def problem(self, task: Task) -> str:
        """Why this change cannot be made to the task, or ""."""
        if (
            self.action == BulkAction.DUE
            and self.due_date
            and task.start_date
            and self.due_date < task.start_date
        ):
            return _("it starts on %(date)s, after that due date") % {
                "date": date_format(task.start_date, "DATE_FORMAT")
            }
        return ""

    def apply(self, task: Task) -> None:
        if self.action == BulkAction.ASSIGN:
            task.assignee = self.assignee
        elif self.action == BulkAction.MOVE:
            task.phase = self.phase
        else:
            task.due_date = self.due_date


@dataclass
class BulkResult:
    changed: list[Task] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)  # (title or "#id", why)


def tasks_for_bulk(*, project: Project, ids: list[int]) -> list[Task]:
    """The project's tasks with these ids; any id that is not a task of the project refuses all."""
    if not ids:
        raise ValidationError(_("Select at least one task."))
    if len(ids) > MAX_BULK_TASKS:
        raise ValidationError(_("Select at most %(count)d tasks at a time.") % {"count": MAX_BULK_TASKS})
    tasks = list(
        Task.objects.filter(project=project, pk__in=ids).select_related("assignee", "phase").order_by("pk")
    )
    if len(tasks) != len(set(ids)):
        raise ValidationError(
            _("Some of the selected tasks are not tasks of this project. Nothing was changed.")
        )
    return tasks


def _validate_change(project: Project, change: BulkChange) -> None:
    if change.action not in BulkAction.values:
        raise ValidationError(_("Choose what to do with the selected tasks."))
    if change.action == BulkAction.MOVE and (change.phase is None or change.phase.project_id != project.pk):
        raise ValidationError(_("Choose a phase of this project."))
    if (
        change.action == BulkAction.ASSIGN
        and change.assignee is not None
        and not Membership.objects.filter(project=project, user=change.assignee).exists()
    ):
        raise ValidationError(_("The assignee must be a member of this project."))


@transaction.atomic
def tasks_bulk_update(*, project: Project, user, change: BulkChange, versions: dict[int, int]) -> BulkResult:
    """Apply the change to the tasks `versions` names, each only if it still has that version."""
    from .services import activity_record

    _validate_change(project, change)
    if not versions:
        raise ValidationError(_("Select at least one task."))
    if len(versions) > MAX_BULK_TASKS:
        raise ValidationError(_("Select at most %(count)d tasks at a time.") % {"count": MAX_BULK_TASKS})
    # Locked in id order, so two bulk changes over overlapping tasks queue up instead of deadlocking.
    locked = {
        task.pk: task
        for task in Task.objects.select_for_update().filter(project=project, pk__in=versions).order_by("pk")
    }
    gone = set(versions) - set(locked)
    if gone and Task.objects.filter(pk__in=gone).exists():
        raise ValidationError(
            _("Some of the selected tasks are not tasks of this project. Nothing was changed.")
        )
    result = BulkResult(
        skipped=[(_("Task #%(id)s") % {"id": pk}, _("deleted meanwhile")) for pk in sorted(gone)]
    )
    for pk, task in locked.items():
        if task.version != versions[pk]:
            result.skipped.append((task.title, _("changed by someone else after you selected it")))
            continue
        if why := change.problem(task):
            result.skipped.append((task.title, why))
            continue
        change.apply(task)
        task.version += 1
        task._history_user = user
        # The values were checked above (member, phase of the project, dates in the form's window,
        # due not before start); the table's constraints still stand behind them.
        task.save(update_fields=[change.field_name, "version", "updated_at"])
        result.changed.append(task)
    if result.changed:
        if change.action == BulkAction.MOVE:
            progress_refresh_on_commit(project.pk)
        count = len(result.changed)
        activity_record(
            project=project,
            actor=user,
            verb="tasks changed",
            message=ngettext_lazy(
                "%(count)s task changed: %(change)s", "%(count)s tasks changed: %(change)s", "count"
            ),
            values={"count": count, "change": change.summary_part()},
        )
    return result
