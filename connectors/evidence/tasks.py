"""Thin tasks: beat freezes every closed month of every project with mapping rules (ids in, the
service does the work; freezing is idempotent, so a repeated or concurrent run adds nothing)."""

from celery import shared_task

from projects.models import Project

from . import services
from .models import MappingRule


@shared_task(acks_late=True, ignore_result=True)
def freeze_project_months(project_id: int) -> int:
    project = Project.objects.filter(pk=project_id).first()
    if project is None:
        return 0
    return len(services.freeze_closed_months(project=project, user=None))


@shared_task(ignore_result=True)
def freeze_sweep() -> int:
    """Beat, daily: queue the freeze of every project that maps tickets to processes."""
    ids = sorted(set(MappingRule.objects.values_list("project_id", flat=True)))
    for project_id in ids:
        freeze_project_months.delay(project_id)
    return len(ids)
