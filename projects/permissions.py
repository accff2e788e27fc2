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
