"""Writes for projects, members, the roadmap and tasks. Views call these; they never save models."""

import re
import secrets
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from sms_tracker.core.concurrency import lock_for_edit
from sms_tracker.core.extensions import project_setup

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
from .scheduling import back_schedule

User = get_user_model()


def activity_record(*, project: Project, actor, verb: str, summary: str, url: str = "") -> Activity:
    return Activity.objects.create(project=project, actor=actor, verb=verb, summary=summary[:300], url=url)


# Projects ---------------------------------------------------------------------------------

PROJECT_FIELDS = (
    "name",
    "organisation",
    "scope_summary",
    "standard_edition",
    "start_date",
    "target_certification_date",
    "certification_body",
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
        summary=f"Project “{project}” created",
        url=project.get_absolute_url(),
    )
    return project


def _roadmap_create(project: Project, *, owner) -> None:
    previous = None
    for order, planned in enumerate(back_schedule(project.start_date, project.target_certification_date), 1):
        definition = planned.definition
        phase = Phase.objects.create(
            project=project,
            key=definition.key,
            order=order,
            title=definition.title,
            optional=definition.optional,
            depends_on=previous,
            owner=owner,
            planned_start=planned.start,
            planned_end=planned.end,
        )
        _milestones_create(phase)
        previous = phase


def _milestones_create(phase: Phase) -> None:
    titles = phase.definition.milestones
    for order, title in enumerate(titles, 1):
        span = (phase.planned_end - phase.planned_start).days
        planned = phase.planned_start + timedelta(days=round(span * order / len(titles)))
        Milestone.objects.create(phase=phase, order=order, title=title, planned_date=planned)


@transaction.atomic
def project_update(
    *, project: Project, user, expected_version: int, replan: bool = False, **fields
) -> Project:
    project = lock_for_edit(Project, project.pk, expected_version=expected_version)
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
        summary=f"Project details of “{project}” edited",
        url=project.get_absolute_url(),
    )
    return project


def roadmap_replan(*, project: Project) -> None:
    """Back-schedule the phases not yet started from the project's dates again."""
    plan = {p.definition.key: p for p in back_schedule(project.start_date, project.target_certification_date)}
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


def _unique_username(email: str) -> str:
    base = re.sub(r"[^a-z0-9._-]+", "", email.split("@")[0].lower())[:30] or "member"
    candidate, n = base, 1
    while User.objects.filter(username__iexact=candidate).exists():
        n += 1
        candidate = f"{base}{n}"
    return candidate


@transaction.atomic
def member_invite(*, project: Project, email: str, role: str, user) -> Membership:
    """Create an account for someone new, add them, and e-mail a link to choose a password.

    The invitation goes through the outbox after commit. The account gets a random password, so
    an expired link can be replaced through "Forgot your password?".
    """
    from sms_tracker.core.outbox import enqueue_send, outbox_record
    from sms_tracker.models import OutboxKind

    email = User.objects.normalize_email(email.strip()).lower()
    if User.objects.filter(email__iexact=email).exists():
        raise ValidationError(
            {"identifier": "An account with this e-mail address already exists; add it by name."}
        )
    invited = User.objects.create_user(
        username=_unique_username(email), email=email, password=secrets.token_urlsafe(32)
    )
    membership = membership_add(project=project, member=invited, role=role, user=user)
    link = settings.SITE_URL + reverse(
        "password_reset_confirm",
        kwargs={
            "uidb64": urlsafe_base64_encode(force_bytes(invited.pk)),
            "token": default_token_generator.make_token(invited),
        },
    )
    inviter = user.get_full_name() or user.get_username()
    message = outbox_record(
        recipient=invited,
        subject_type="project",
        subject_id=project.pk,
        kind=OutboxKind.INVITATION,
        day=timezone.localdate(),
        subject=f"{inviter} invited you to “{project.name}” on SMS Tracker",
        body_text=(
            f"Hello,\n\n{inviter} added you to the ISO/IEC 20000-1 project “{project.name}” "
            f"({project.organisation}) as {membership.get_role_display().lower()}.\n\n"
            f"Your username is {invited.username}. Choose your password here:\n{link}\n\n"
            "The link works once and for a few days; after that use “Forgot your password?” "
            "on the sign-in page.\n"
        ),
    )
    transaction.on_commit(lambda: enqueue_send(message.pk))
    return membership


def user_find(identifier: str):
    identifier = identifier.strip()
    lookup = {"email__iexact": identifier} if "@" in identifier else {"username__iexact": identifier}
    matches = list(User.objects.filter(is_active=True, **lookup)[:2])
    return matches[0] if len(matches) == 1 else None


@transaction.atomic
def membership_add(*, project: Project, member, role: str, user) -> Membership:
    if Membership.objects.filter(project=project, user=member).exists():
        raise ValidationError({"identifier": f"{member.username} is already a member of this project."})
    membership = Membership(project=project, user=member, role=role)
    membership.full_clean()
    membership.save()
    activity_record(
        project=project,
        actor=user,
        verb="member added",
        summary=f"{member.username} joined as {membership.get_role_display().lower()}",
        url=reverse("projects:members", args=[project.pk]),
    )
    return membership


def _ensure_a_lead_remains(membership: Membership, new_role: str | None) -> None:
    if membership.role == Role.LEAD and new_role != Role.LEAD:
        other_leads = Membership.objects.filter(project_id=membership.project_id, role=Role.LEAD).exclude(
            pk=membership.pk
        )
        if not other_leads.exists():
            raise ValidationError("A project needs at least one lead. Make someone else lead first.")


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
        summary=f"{membership.user.username} is now {membership.get_role_display().lower()}",
        url=reverse("projects:members", args=[membership.project_id]),
    )
    return membership


@transaction.atomic
def membership_remove(*, membership: Membership, user) -> None:
    membership = Membership.objects.select_for_update().get(pk=membership.pk)
    _ensure_a_lead_remains(membership, None)
    project, member = membership.project, membership.user
    membership.delete()
    activity_record(
        project=project,
        actor=user,
        verb="member removed",
        summary=f"{member.username} left the project",
        url=reverse("projects:members", args=[project.pk]),
    )


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
        raise ValidationError({"status": "Only the optional phases (2 and 3) can be skipped."})
    if phase.status == PhaseStatus.DONE and old_status != PhaseStatus.DONE:
        blocking = earlier_open_mandatory_phases(phase)
        if blocking:
            names = ", ".join(p.label + " " + p.title for p in blocking)
            if not override_reason.strip():
                raise ValidationError(
                    {
                        "status": f"Earlier mandatory phases are not done: {names}. "
                        "The lead can override with a reason."
                    }
                )
            if not is_lead:
                raise ValidationError({"override_reason": "Only the lead can override the phase order."})
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
        raise ValidationError({"owner": "The owner must be a member of the project."})

    phase.version += 1
    phase.full_clean()
    phase.save()
    progress_refresh_on_commit(phase.project_id)
    if old_status != phase.status:
        activity_record(
            project=phase.project,
            actor=user,
            verb="phase status",
            summary=f"Phase {phase.label} {phase.title}: {phase.get_status_display().lower()}",
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
        summary=f"Milestone “{milestone.title}” {'reached' if milestone.completed_at else 'reopened'}",
        url=milestone.phase.get_absolute_url(),
    )
    return milestone


# Tasks ------------------------------------------------------------------------------------

TASK_FIELDS = ("phase", "title", "description", "assignee", "start_date", "due_date", "priority", "status")


def _task_validate_links(task: Task) -> None:
    if task.phase.project_id != task.project_id:
        raise ValidationError({"phase": "That phase belongs to another project."})
    if (
        task.assignee_id
        and not Membership.objects.filter(project_id=task.project_id, user_id=task.assignee_id).exists()
    ):
        raise ValidationError({"assignee": "The assignee must be a member of this project."})


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
        summary=f"Task “{task.title}” created",
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
    activity_record(
        project=task.project,
        actor=user,
        verb=verb,
        summary=f"Task “{task.title}” {verb.split()[1]}",
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
    activity_record(
        project=task.project,
        actor=user,
        verb="task completed" if done else "task reopened",
        summary=f"Task “{task.title}” {'completed' if done else 'reopened'}",
        url=task.get_absolute_url(),
    )
    return task


@transaction.atomic
def task_delete(*, task: Task, user) -> None:
    project, title = task.project, task.title
    task.delete()
    progress_refresh_on_commit(project.pk)
    activity_record(project=project, actor=user, verb="task deleted", summary=f"Task “{title}” deleted")


# Progress ---------------------------------------------------------------------------------


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
    overall = overall_progress(phases, by_phase)
    Project.objects.filter(pk=project.pk).update(progress=overall)
    project.progress = overall
    return overall
