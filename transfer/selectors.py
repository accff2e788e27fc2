from django.http import Http404

from .models import ImportJob


def import_jobs_of(*, user, hidden, limit: int = 10) -> list[ImportJob]:
    """The user's imports, less those of `hidden` projects (kernel.access.hidden_projects)."""
    jobs = ImportJob.objects.filter(created_by=user).exclude(project__in=hidden)
    return list(jobs.select_related("project")[:limit])


def import_job_for_user(*, user, job_id: int) -> ImportJob:
    """A job exists only for the person who started it: anyone else gets 404, as for a project."""
    job = ImportJob.objects.select_related("project").filter(pk=job_id, created_by_id=user.pk).first()
    if job is None:
        raise Http404("No such import.")
    return job
