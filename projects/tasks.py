"""Background work of the projects app: thin tasks that take ids and call a service."""

from celery import shared_task

from kernel import extensions

from .models import Project
from .services import project_progress_refresh


@shared_task(acks_late=True)
def refresh_project_progress(project_id: int) -> None:
    """Recompute the stored phase and project progress. Idempotent: it only recomputes."""
    project = Project.objects.filter(pk=project_id).first()
    if project is not None:
        project_progress_refresh(project=project)
        for hook in extensions.after_progress_refresh():  # e.g. announce a readiness change
            hook(project)
