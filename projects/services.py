"""Writes for projects, members, the roadmap and tasks. Views call these; they never save models."""

from datetime import timedelta

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from kernel import pagecache, webhooks
from kernel.concurrency import lock_for_edit
from kernel.extensions import project_setup

from . import activity
from .attachments import attachment_files_of, delete_files_on_commit
from .models import (
    Activity,
    Membership,
    Milestone,
    Phase,
    PhaseStatus,
    Project,
    Role,
    Task,
    TaskStatus,
)
from .progress import overall_progress, phase_progress
from .progress_refresh import progress_refresh_on_commit
from .scheduling import ScheduleTooShort, back_schedule

User = get_user_model()


def activity_record(
    *,
    project: Project,
    actor,
    verb: str,
    message="",
    values: dict | None = None,
    summary: str = "",
    url: str = "",
) -> Activity:
    """Every write of a project records an activity: its cached page parts go here, in one key.

    `message` is the English msgid (`gettext_noop`, or `ngettext_lazy(singular, plural, "count")`)
    and `values` its placeholders (projects/activity.py): the line is worded in the reader's
    language when shown, and its English sentence is kept in `summary`. A bare `summary` (no
    message) is shown as given."""
    pagecache.project_changed(project.pk)
    return Activity.objects.create(
        project=project,
        actor=actor,
        verb=verb,
        url=url,
        created_at=timezone.now(),
        **activity_fields(message, values, summary),
    )


def activity_fields(message="", values: dict | None = None, summary: str = "") -> dict:
    """The message, values and English summary of an activity line (for bulk_create too)."""
    if not message:
        return {"summary": summary[:300]}
    singular, plural = activity.message_ids(message)
    values = values or {}
    return {
        "message": singular,
        "message_plural": plural,
        "values": values,
        "summary": (summary or activity.english(singular, values, plural=plural))[:300],
    }


# Projects ---------------------------------------------------------------------------------

PROJECT_FIELDS = (
    "name",
    "organisation",
    "scope_summary",
    "standard_edition",
    "start_date",
    "target_certification_date",
    "certification_body",
    "min_operating_months",
    "require_mfa",
    "report_language",
)


@transaction.atomic
def project_create(*, user, **fields) -> Project:
    project = Project(created_by=user, **{k: v for k, v in fields.items() if k in PROJECT_FIELDS})
    project.full_clean()
    project.save()
    Membership.objects.create(project=project, user=user, role=Role.LEAD)
    _roadmap_create(project, owner=user)
    for setup in project_setup():  # what the other apps add to a new project (their integration.py)
        setup(project)
    activity_record(
        project=project,
        actor=user,
        verb="created",
        message=gettext_noop("Project “%(project)s” created"),
        values={"project": str(project)},
        url=project.get_absolute_url(),
    )
    return project


def project_plan(project: Project):
    """The back-scheduled phases of the project's dates; a target that cannot fit is refused with
    the earliest realistic date (a ValidationError on the target date field)."""
    try:
        return back_schedule(
            project.start_date,
            project.target_certification_date,
            operating_months=project.min_operating_months,
        )
    except ScheduleTooShort as error:
        raise ValidationError({"target_certification_date": error.message}) from error


def _roadmap_create(project: Project, *, owner) -> None:
    previous = None
    for order, planned in enumerate(project_plan(project), 1):
        definition = planned.definition
        phase = Phase.objects.create(
            project=project,
            key=definition.key,
            order=order,
            title=definition.english_title,
            optional=definition.optional,
            depends_on=previous,
            owner=owner,
            planned_start=planned.start,
            planned_end=planned.end,
        )
        _milestones_create(phase)
        previous = phase


def _milestones_create(phase: Phase) -> None:
    titles = phase.definition.english_milestones
    for order, title in enumerate(titles, 1):
        span = (phase.planned_end - phase.planned_start).days
        planned = phase.planned_start + timedelta(days=round(span * order / len(titles)))
        Milestone.objects.create(phase=phase, order=order, title=title, planned_date=planned)


@transaction.atomic
def project_update(
    *, project: Project, user, expected_version: int, replan: bool = False, **fields
) -> Project:
    project = lock_for_edit(Project, project.pk, expected_version=expected_version)
    mfa_before = project.require_mfa
    for name in PROJECT_FIELDS:
        if name in fields:
            setattr(project, name, fields[name])
    project.version += 1
    project.full_clean()
    project.save()
    if replan:
        roadmap_replan(project=project)
    activity_record(
        project=project,
        actor=user,
        verb="updated",
        message=gettext_noop("Project details of “%(project)s” edited"),
        values={"project": str(project)},
        url=project.get_absolute_url(),
    )
    if project.require_mfa != mfa_before:  # who asked for MFA and when: also in the project's history
        activity_record(
            project=project,
            actor=user,
            verb="updated",
            message=gettext_noop("Two-factor authentication now required of every member")
            if project.require_mfa
            else gettext_noop("Two-factor authentication no longer required"),
            url=project.get_absolute_url(),
        )
    return project


def roadmap_replan(*, project: Project) -> None:
    """Back-schedule the phases not yet started from the project's dates again."""
    plan = {p.definition.key: p for p in project_plan(project)}
    pagecache.project_changed(project.pk)
    for phase in project.phases.select_for_update():
        if phase.status != PhaseStatus.NOT_STARTED:
            continue
        phase.planned_start, phase.planned_end = plan[phase.key].start, plan[phase.key].end
        phase.version += 1
        phase.save()
        for milestone in phase.milestones.all():
            span = (phase.planned_end - phase.planned_start).days
            count = phase.milestones.count()
            milestone.planned_date = phase.planned_start + timedelta(
                days=round(span * milestone.order / count)
            )
            milestone.save()


# Members ----------------------------------------------------------------------------------


def _ensure_a_lead_remains(membership: Membership, new_role: str | None) -> None:
    if membership.role == Role.LEAD and new_role != Role.LEAD:
        other_leads = Membership.objects.filter(project_id=membership.project_id, role=Role.LEAD).exclude(
            pk=membership.pk
        )
        if not other_leads.exists():
            raise ValidationError(_("A project needs at least one lead. Make someone else lead first."))


@transaction.atomic
def membership_change_role(*, membership: Membership, role: str, user) -> Membership:
    membership = Membership.objects.select_for_update().get(pk=membership.pk)
    _ensure_a_lead_remains(membership, role)
    membership.role = role
    membership.full_clean()
    membership.save()
    activity_record(
        project=membership.project,
        actor=user,
        verb="role changed",
        message=gettext_noop("%(username)s is now %(role)s"),
        values={
            "username": membership.user.username,
            "role": activity.choice(Role, membership.role, lower=True),
        },
        url=reverse("projects:members", args=[membership.project_id]),
    )
    return membership


@transaction.atomic
def membership_remove(*, membership: Membership, user, successor=None) -> list[tuple[str, int]]:
    """Remove a member; everything open they hold goes to `successor`, a lead of the project.

    Refused when they hold something and no successor is given: nothing is left with nobody
    able to act on it. Returns what was handed over, kind by kind."""
    from .responsibilities import hand_over, held_by

    membership = (
        Membership.objects.select_for_update().select_related("project", "user").get(pk=membership.pk)
    )
    _ensure_a_lead_remains(membership, None)
    project, member = membership.project, membership.user
    if successor is not None:
        if (
            successor.pk == member.pk
            or not Membership.objects.filter(project=project, user=successor, role=Role.LEAD).exists()
        ):
            raise ValidationError({"successor": _("Choose another lead of this project to take over.")})
        moved = hand_over(project, member, successor)
    elif held_by(project, member):
        raise ValidationError({"successor": _("Choose who takes over what this member holds.")})
    else:
        moved = []
    membership.delete()
    handed = activity.joined(
        [
            activity.nested(
                gettext_noop("%(what)s: %(count)s"),
                {"what": activity.nested(label, lower_first=True), "count": count},
            )
            for label, count in moved
        ]
    )
    activity_record(
        project=project,
        actor=user,
        verb="member removed",
        message=gettext_noop("%(username)s left the project; handed to %(successor)s: %(handed)s")
        if moved
        else gettext_noop("%(username)s left the project"),
        values={"username": member.username, "successor": successor.username, "handed": handed}
        if moved
        else {"username": member.username},
        url=reverse("projects:members", args=[project.pk]),
    )
    return moved


# Phases -----------------------------------------------------------------------------------

PHASE_FIELDS = ("owner", "status", "planned_start", "planned_end", "actual_start", "actual_end", "notes")


def earlier_open_mandatory_phases(phase: Phase) -> list[Phase]:
    return list(
        Phase.objects.filter(project_id=phase.project_id, order__lt=phase.order, optional=False)
        .exclude(status=PhaseStatus.DONE)
        .order_by("order")
    )


@transaction.atomic
def phase_update(
    *, phase: Phase, user, expected_version: int, override_reason: str = "", is_lead: bool = False, **fields
) -> Phase:
    phase = lock_for_edit(Phase, phase.pk, expected_version=expected_version)
    old_status = phase.status
    for name in PHASE_FIELDS:
        if name in fields:
            setattr(phase, name, fields[name])

    if phase.status == PhaseStatus.SKIPPED and not phase.optional:
        raise ValidationError({"status": _("Only the optional phases (2 and 3) can be skipped.")})
    if phase.status == PhaseStatus.DONE and old_status != PhaseStatus.DONE:
        blocking = earlier_open_mandatory_phases(phase)
        if blocking:
            names = ", ".join(p.label + " " + p.display_title for p in blocking)
            if not override_reason.strip():
                raise ValidationError(
                    {
                        "status": _(
                            "Earlier mandatory phases are not done: %(names)s. "
                            "The lead can override with a reason."
                        )
                        % {"names": names}
                    }
                )
            if not is_lead:
                raise ValidationError({"override_reason": _("Only the lead can override the phase order.")})
            phase.override_reason = override_reason.strip()
            phase.override_by = user
            phase.override_at = timezone.now()

    today = timezone.localdate()
    if phase.status in (PhaseStatus.IN_PROGRESS, PhaseStatus.DONE) and phase.actual_start is None:
        phase.actual_start = min(today, phase.actual_end) if phase.actual_end else today
    if phase.status == PhaseStatus.DONE and phase.actual_end is None:
        phase.actual_end = max(today, phase.actual_start)
    if (
        phase.owner_id
        and not Membership.objects.filter(project_id=phase.project_id, user_id=phase.owner_id).exists()
    ):
        raise ValidationError({"owner": _("The owner must be a member of the project.")})

    phase.version += 1
    phase.full_clean()
    phase.save()
    progress_refresh_on_commit(phase.project_id)
    if old_status != phase.status:
        activity_record(
            project=phase.project,
            actor=user,
            verb="phase status",
            message=gettext_noop("Phase %(label)s %(title)s: %(status)s"),
            values={
                "label": phase.label,
                "title": activity.phase_title(phase),
                "status": activity.choice(PhaseStatus, phase.status, lower=True),
            },
            url=phase.get_absolute_url(),
        )
    return phase


@transaction.atomic
def milestone_toggle(*, milestone: Milestone, user) -> Milestone:
    milestone = Milestone.objects.select_for_update().get(pk=milestone.pk)
    if milestone.completed_at:
        milestone.completed_at, milestone.completed_by = None, None
    else:
        milestone.completed_at, milestone.completed_by = timezone.now(), user
    milestone.save()
    activity_record(
        project=milestone.phase.project,
        actor=user,
        verb="milestone",
        message=gettext_noop("Milestone “%(title)s” reached")
        if milestone.completed_at
        else gettext_noop("Milestone “%(title)s” reopened"),
        values={"title": activity.milestone_title(milestone)},
        url=milestone.phase.get_absolute_url(),
    )
    return milestone


# Tasks ------------------------------------------------------------------------------------

TASK_FIELDS = ("phase", "title", "description", "assignee", "start_date", "due_date", "priority", "status")


def _task_validate_links(task: Task) -> None:
    if task.phase.project_id != task.project_id:
        raise ValidationError({"phase": _("That phase belongs to another project.")})
    if (
        task.assignee_id
        and not Membership.objects.filter(project_id=task.project_id, user_id=task.assignee_id).exists()
    ):
        raise ValidationError({"assignee": _("The assignee must be a member of this project.")})


def _task_done_publish(task: Task, user) -> None:
    webhooks.webhook_publish(
        project=task.project_id,
        name="task.done",
        key=f"task.done:{task.pk}:{task.version}",
        data={
            "task": {"id": task.pk, "title": task.title, "url": webhooks.site_url(task.get_absolute_url())},
            "completed_at": task.completed_at.isoformat() if task.completed_at else None,
            "by": webhooks.actor(user),
        },
    )


def _task_apply_status(task: Task, user) -> None:
    if task.status == TaskStatus.DONE and task.completed_at is None:
        task.completed_at, task.completed_by = timezone.now(), user
    elif task.status != TaskStatus.DONE:
        task.completed_at, task.completed_by = None, None


@transaction.atomic
def task_create(*, project: Project, user, **fields) -> Task:
    task = Task(project=project, created_by=user, **{k: v for k, v in fields.items() if k in TASK_FIELDS})
    task.title = (task.title or "").strip()
    _task_validate_links(task)
    _task_apply_status(task, user)
    task.full_clean()
    task.save()
    progress_refresh_on_commit(project.pk)
    activity_record(
        project=project,
        actor=user,
        verb="task created",
        message=gettext_noop("Task “%(title)s” created"),
        values={"title": task.title},
        url=task.get_absolute_url(),
    )
    return task


@transaction.atomic
def task_update(*, task: Task, user, expected_version: int, **fields) -> Task:
    task = lock_for_edit(Task, task.pk, expected_version=expected_version)
    old_status = task.status
    for name in TASK_FIELDS:
        if name in fields:
            setattr(task, name, fields[name])
    task.title = (task.title or "").strip()
    _task_validate_links(task)
    _task_apply_status(task, user)
    task.version += 1
    task.full_clean()
    task.save()
    progress_refresh_on_commit(task.project_id)
    verb = (
        "task completed"
        if task.status == TaskStatus.DONE and old_status != TaskStatus.DONE
        else "task updated"
    )
    if verb == "task completed":
        _task_done_publish(task, user)
    activity_record(
        project=task.project,
        actor=user,
        verb=verb,
        message=gettext_noop("Task “%(title)s” completed")
        if verb == "task completed"
        else gettext_noop("Task “%(title)s” updated"),
        values={"title": task.title},
        url=task.get_absolute_url(),
    )
    return task


@transaction.atomic
def task_set_done(*, task: Task, user, done: bool = True) -> Task:
    """Complete or reopen a task. Idempotent: completing a done task changes nothing."""
    task = Task.objects.select_for_update().get(pk=task.pk)
    target = TaskStatus.DONE if done else TaskStatus.OPEN
    if task.status == target:
        return task
    task.status = target
    _task_apply_status(task, user)
    task.version += 1
    task.save()
    progress_refresh_on_commit(task.project_id)
    if done:
        _task_done_publish(task, user)
    activity_record(
        project=task.project,
        actor=user,
        verb="task completed" if done else "task reopened",
        message=gettext_noop("Task “%(title)s” completed")
        if done
        else gettext_noop("Task “%(title)s” reopened"),
        values={"title": task.title},
        url=task.get_absolute_url(),
    )
    return task


@transaction.atomic
def task_delete(*, task: Task, user) -> None:
    project, title = task.project, task.title
    files, storage = attachment_files_of([task.pk])
    task.delete()
    delete_files_on_commit(files, storage)
    progress_refresh_on_commit(project.pk)
    activity_record(
        project=project,
        actor=user,
        verb="task deleted",
        message=gettext_noop("Task “%(title)s” deleted"),
        values={"title": title},
    )


# Progress ---------------------------------------------------------------------------------


def _phases_started_by_work(project: Project, phases: list[Phase]) -> int:
    """Status follows the work: a phase not started that has progress is in progress from today.

    The version moves too, so a phase form opened before still reports a conflict rather than
    silently setting the phase back to "not started"."""
    started = [p for p in phases if p.status == PhaseStatus.NOT_STARTED and p.progress > 0]
    if not started:
        return 0
    today = timezone.localdate()
    for phase in started:
        phase.status = PhaseStatus.IN_PROGRESS
        phase.actual_start = phase.actual_start or today
        phase.version += 1
    Phase.objects.bulk_update(started, ["status", "actual_start", "version"])
    Activity.objects.bulk_create(
        Activity(
            project=project,
            verb="phase status",
            **activity_fields(
                gettext_noop("Phase %(label)s %(title)s: in progress (work on it has started)"),
                {"label": p.label, "title": activity.phase_title(p)},
            ),
            url=p.get_absolute_url(),
        )
        for p in started
    )
    return len(started)


@transaction.atomic
def project_progress_refresh(*, project: Project) -> int:
    """Recompute and store phase and project progress (a fixed number of queries).

    Writes do not call this: they call progress_refresh_on_commit(), which runs it after commit.
    The phase rows are locked (in order) before anything is read, so concurrent refreshes queue
    up and each reads what the ones before it committed.
    """
    phases = list(Phase.objects.select_for_update().filter(project_id=project.pk).order_by("order"))
    by_phase = phase_progress(project, phases)
    changed = [p for p in phases if p.progress != by_phase[p.pk]]
    for phase in changed:
        phase.progress = by_phase[phase.pk]
    if changed:
        Phase.objects.bulk_update(changed, ["progress"])
    started = _phases_started_by_work(project, phases)
    overall = overall_progress(phases, by_phase)
    # The project row is written only when its figure moves (a save elsewhere in the project
    # leaves it alone). Read after the phase locks: a concurrent refresh has committed or waits.
    stored = Project.objects.values_list("progress", flat=True).get(pk=project.pk)
    moved = stored != overall
    if moved:
        Project.objects.filter(pk=project.pk).update(progress=overall)
    project.progress = overall
    # The cached parts go when anything the refresh stores moved.
    if changed or started or moved:
        pagecache.project_changed(project.pk)
    return overall
