"""The import's task: takes the job's id and runs the service; the job row says what happened."""

from celery import shared_task
from django.conf import settings

from . import services


@shared_task(
    acks_late=True,
    soft_time_limit=settings.PROJECT_IMPORT_TIME_LIMIT,
    time_limit=settings.PROJECT_IMPORT_TIME_LIMIT + 60,
)
def run_import(job_id: int) -> str:
    return services.import_job_run(job_id=job_id)
