"""Reads scoped by membership. Every list goes through one of these, so no view forgets the scope."""

from dataclasses import dataclass
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.db.models import Case, Count, IntegerField, OuterRef, Q, Subquery, Value, When, Window
from django.db.models.functions import Coalesce
from django.utils import timezone

from kernel import extensions
from kernel.extensions import WaitingItem, WaitingSource, waiting_sources

from .models import Activity, Invitation, InvitationStatus, Membership, Phase, Project, Task, TaskStatus
from .outlook import schedule_outlook, stage1_near
from .scheduling import forecast_finish


def member_project_ids(*, user) -> list[int]:
    """The ids of the user's projects (one query): the namespaces of their cross-project cached parts."""
    return list(
        Membership.objects.filter(user=user).order_by("project_id").values_list("project_id", flat=True)
    )


def project_list(*, user, hidden):
    """The user's projects with their role, in one query; counts come from `add_task_counts`.

    `hidden`: project ids to leave out, `kernel.access.hidden_projects(request)` (those
    that require MFA the request does not satisfy); every list across projects takes it."""
    return (
        Project.objects.filter(memberships__user=user)
        .exclude(pk__in=hidden)
        .annotate(
            my_role=Subquery(Membership.objects.filter(project=OuterRef("pk"), user=user).values("role")[:1])
        )
        .order_by("name", "id")
    )


def project_list_notes(*, user, hidden) -> dict:
    """{"pending_invitations": of the user, "hidden_projects": their projects left out of the list
    (`hidden`, as in project_list)}, counted in one query."""

    def count(rows):
        return Coalesce(Subquery(rows.order_by().values("user").annotate(n=Count("pk")).values("n")[:1]), 0)

    pending = Invitation.objects.filter(user=OuterRef("pk"), status=InvitationStatus.PENDING)
    return (
        get_user_model()
        .objects.filter(pk=user.pk)
        .annotate(
            pending_invitations=count(pending),
            hidden_projects=count(Membership.objects.filter(user=OuterRef("pk"), project__in=hidden)),
        )
        .values("pending_invitations", "hidden_projects")
        .get()
    )


def add_task_counts(projects):
    """Set open_tasks and overdue_tasks on each of `projects` (one page of them), in one query.

    Counting only the projects on the page keeps the project list's cost independent of how many
    tasks the user's other projects hold."""
    projects = list(projects)
    today = timezone.localdate()
    counts = {
        row["project"]: row
        for row in Task.objects.open()
        .filter(project__in=[p.pk for p in projects])
        .order_by()
        .values("project")
        .annotate(open=Count("id"), overdue=Count("id", filter=Q(due_date__lt=today)))
    }
    for project in projects:
        row = counts.get(project.pk, {})
        project.open_tasks, project.overdue_tasks = row.get("open", 0), row.get("overdue", 0)
    return projects


def project_members(*, project):
    return Membership.objects.filter(project=project).select_related("user").order_by("user__username")


def _task_count(**filters):
    """Tasks of the outer phase, counted by a correlated subquery (the task_phase_status index)."""
    counted = (
        Task.objects.filter(phase=OuterRef("pk"), **filters)
        .order_by()
        .values("phase")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


def phase_list(*, project):
    # Counted per phase by subqueries rather than a DISTINCT join over every task of the project:
    # the join grew from 1 to 48 ms between a 1,100- and a 99,000-row project (issue 20 §3).
    return (
        Phase.objects.filter(project=project)
        .select_related("owner")
        .annotate(task_total=_task_count(), task_done=_task_count(status=TaskStatus.DONE))
        .order_by("order")
    )


def task_list(*, project, phase=None):
    tasks = Task.objects.filter(project=project).select_related("assignee", "phase")
    if phase is not None:
        tasks = tasks.filter(phase=phase)
    return tasks.order_by(
        Case(When(status=TaskStatus.DONE, then=Value(1)), default=Value(0), output_field=IntegerField()),
        "due_date",
        "id",
    )


def my_open_tasks(*, user, hidden):
    """Open tasks assigned to the user in projects they are still a member of (less `hidden`, as
    in project_list); overdue first."""
    today = timezone.localdate()
    return (
        Task.objects.open()
        .filter(assignee=user, project__memberships__user=user)
        .exclude(project__in=hidden)
        .select_related("project", "phase")
        .annotate(
            overdue_rank=Case(
                When(due_date__lt=today, then=Value(0)),
                When(due_date__isnull=True, then=Value(2)),
                default=Value(1),
                output_field=IntegerField(),
            )
        )
        .order_by("overdue_rank", "due_date", "id")
    )


# My work lists this many of each kind of waiting thing; the rest are behind "show all".
WAITING_LISTED = 5


@dataclass
class WaitingSection:
    source: WaitingSource
    items: list[WaitingItem]
    total: int

    @property
    def more(self) -> int:
        return self.total - len(self.items)


def waiting_rows(source: WaitingSource, *, user, hidden):
    """One kind of waiting thing across the user's projects, less `hidden` (as in project_list)."""
    return source.rows(user).exclude(**{f"{source.project_path}__in": hidden})


def waiting_for_user(*, user, hidden, listed: int = WAITING_LISTED) -> list[WaitingSection]:
    """What waits for the user's decision across their projects (the apps' WaitingSources): the
    oldest `listed` of each kind and how many there are, in one query per kind (a window count)."""
    sections = []
    for source in waiting_sources():
        rows = list(
            waiting_rows(source, user=user, hidden=hidden).annotate(waiting_total=Window(Count("pk")))[
                :listed
            ]
        )
        total = rows[0].waiting_total if rows else 0
        sections.append(WaitingSection(source, [source.item(row) for row in rows], total))
    return sections


def waiting_source(key: str) -> WaitingSource | None:
    return next((source for source in waiting_sources() if source.key == key), None)


def dashboard(*, project) -> dict:
    """Everything the lead's dashboard shows, with a fixed number of queries."""
    today = timezone.localdate()
    week_end = today + timedelta(days=7)
    phases = list(phase_list(project=project))
    open_tasks = Task.objects.open().filter(project=project).select_related("assignee", "phase")
    overdue = list(open_tasks.filter(due_date__lt=today).order_by("due_date", "id")[:10])
    due_soon = list(
        open_tasks.filter(due_date__gte=today, due_date__lte=week_end).order_by("due_date", "id")[:10]
    )
    counts = Task.objects.filter(project=project).aggregate(
        total=Count("id"),
        done=Count("id", filter=Q(status=TaskStatus.DONE)),
        overdue=Count("id", filter=~Q(status=TaskStatus.DONE) & Q(due_date__lt=today)),
        due_week=Count(
            "id", filter=~Q(status=TaskStatus.DONE) & Q(due_date__gte=today, due_date__lte=week_end)
        ),
    )
    activity = list(Activity.objects.filter(project=project).select_related("actor")[:15])
    forecast = forecast_finish(phases, project.target_certification_date, today)
    return {
        "phases": phases,
        "overdue_tasks": overdue,
        "due_soon_tasks": due_soon,
        "task_counts": counts,
        "activity": activity,
        "forecast": forecast,
        "outlook": schedule_outlook(
            forecast,
            phases=phases,
            overdue_tasks=counts["overdue"],
            today=today,
            stage1_blockers=stage1_blocker_count(project, phases, today),
        ),
        "today": today,
    }


def project_outlook(*, project, phases, today):
    """The outlook for pages that have the phases but not the dashboard's counts (the roadmap)."""
    forecast = forecast_finish(phases, project.target_certification_date, today)
    overdue = Task.objects.open().filter(project=project, due_date__lt=today).count()
    return schedule_outlook(
        forecast,
        phases=phases,
        overdue_tasks=overdue,
        today=today,
        stage1_blockers=stage1_blocker_count(project, phases, today),
    )


def stage1_blocker_count(project, phases, today) -> int | None:
    """Stage 1's blockers, computed only when Stage 1 is near enough to matter for the outlook."""
    if not stage1_near(phases, today):
        return None
    return extensions.readiness_blocker_count(project, 1)  # the readiness app's gate
