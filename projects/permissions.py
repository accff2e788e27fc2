"""Who may do what inside a project, beyond reading (PRODUCT.md, "Who may do what")."""

from .models import Role

TASK_EDITORS = (Role.LEAD, Role.CONTRIBUTOR)


def can_edit_phase(access, phase) -> bool:
    return access.is_lead or (access.role == Role.CONTRIBUTOR and phase.owner_id == access.user.pk)


def can_create_task(access) -> bool:
    return access.role in TASK_EDITORS


def can_edit_task(access, task) -> bool:
    return access.role in TASK_EDITORS


def can_complete_task(access, task) -> bool:
    return access.role in TASK_EDITORS or task.assignee_id == access.user.pk


# Who may discuss a task (comment, attach files): everyone who works on the project, and the
# person it is assigned to whatever their role; viewers read.
TASK_DISCUSSERS = (Role.LEAD, Role.CONTRIBUTOR, Role.AUDITOR)


def can_discuss_task(access, task) -> bool:
    return access.role in TASK_DISCUSSERS or (task is not None and task.assignee_id == access.user.pk)


def can_change_comment(access, comment) -> bool:
    """Only its author edits or deletes a comment, and only while they may still discuss the task."""
    return comment.author_id == access.user.pk and can_discuss_task(access, comment.task)


def can_delete_attachment(access, attachment) -> bool:
    """The uploader (while they may still discuss the task) or a lead, who tidies up."""
    return access.is_lead or (
        attachment.uploaded_by_id == access.user.pk and can_discuss_task(access, attachment.task)
    )
