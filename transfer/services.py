"""Import jobs: the web request checks the upload's envelope, stores it through the storage API and
queues the job; a worker runs the import (importer.py) and writes its progress; the importer then
chooses whom of the archive's people to invite (through projects.invitations)."""

import logging
import time
from datetime import timedelta

from celery.exceptions import SoftTimeLimitExceeded
from django.apps import apps
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import DEFAULT_DB_ALIAS, connection, connections, transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext, gettext_noop

from kernel.i18n import in_language_of
from kernel.queueing import QueueUnavailable, enqueue, named

from . import importer
from .archive import ArchiveRefused
from .models import ImportJob, ImportPerson, ImportStage, ImportStatus
from .stream import Limits
from .verify import Envelope, envelope, manifest_head, open_zip

logger = logging.getLogger(__name__)

# Kept in English (gettext_noop) and worded when shown ({% translate job.error %}), or, for a job that
# ran, written in its importer's language.
QUEUE_ERROR = gettext_noop(
    "The import could not be queued: the background task queue is unreachable. Nothing was kept; "
    "try again in a moment."
)
SERVER_ERROR = gettext_noop(
    "The import stopped because of an error on the server; nothing was imported. The administrators "
    "can see the details in the log. Try again later."
)
TIME_ERROR = gettext_noop("The import took longer than this installation allows; nothing was imported.")
LOST_ERROR = gettext_noop(
    "The import stopped without finishing (its worker was lost); nothing was imported. Try again."
)


class ImportLimited(Exception):
    """More imports than one person may run at a time or per hour (answered with 429)."""


def _limits_check(user) -> None:
    mine = ImportJob.objects.filter(created_by=user)
    running = [
        job
        for job in mine.filter(status__in=(ImportStatus.QUEUED, ImportStatus.RUNNING)).only(
            "status", "started_at"
        )
        if not job.is_lost
    ]
    if len(running) >= settings.PROJECT_IMPORT_MAX_RUNNING_PER_USER:
        raise ImportLimited(
            "One of your imports is still running: wait until it has finished, then import the next."
        )
    hour = mine.filter(created_at__gte=timezone.now() - timedelta(hours=1)).count()
    if settings.PROJECT_IMPORT_MAX_PER_HOUR and hour >= settings.PROJECT_IMPORT_MAX_PER_HOUR:
        raise ImportLimited(
            f"You started {hour} imports in the last hour, the most this installation allows. "
            "Try again later."
        )


def upload_check(upload) -> Envelope:
    """The quick checks of the web request: the zip directory, the manifest's head and the size of
    data.json against the rows it declares. Nothing of data.json is read here."""
    upload.seek(0)
    zf = open_zip(upload)
    with zf:
        head = manifest_head(zf)
        result = envelope(zf, head, Limits.from_settings())
    upload.seek(0)
    return result


def import_job_create(*, upload, user) -> ImportJob:
    """Check the upload, store it and queue its import. Refusals: ArchiveRefused (what is wrong with
    the archive), ImportLimited, QueueUnavailable (then nothing is kept: no job, no file)."""
    _limits_check(user)
    checked = upload_check(upload)
    stored = None
    try:
        with transaction.atomic():
            # one import request at a time per person: the counts below cannot race
            apps.get_model(settings.AUTH_USER_MODEL).objects.select_for_update().filter(pk=user.pk).first()
            _limits_check(user)
            job = ImportJob(
                created_by=user,
                original_name=(upload.name or "")[:255],
                size_bytes=upload.size or 0,
                rows_total=checked.rows_declared,
                bytes_total=checked.data_bytes,
            )
            job.archive.save("archive.zip", upload, save=False)
            stored = job.archive.name
            job.save()
    except BaseException:
        if stored:
            job.archive.storage.delete(stored)
        raise
    try:
        enqueue(named("transfer.tasks.run_import"), job.pk)  # by name: tasks.py imports this module
    except QueueUnavailable:
        logger.error("Import job %s could not be queued", job.pk)
        _discard(job)
        raise
    return job


def _discard(job: ImportJob) -> None:
    name = job.archive.name
    ImportJob.objects.filter(pk=job.pk).delete()
    if name:
        job.archive.storage.delete(name)


class JobProgress(importer.Progress):
    """Writes the progress through a database connection of its own, in autocommit, so the job page
    sees it while the import's transaction is still open; at most about once a second."""

    def __init__(self, job_id: int):
        self.job_id, self.last, self.values, self.closed = job_id, 0.0, {}, False
        # another connection can only see committed rows: PostgreSQL (SQLite would lock itself)
        self.connection = (
            connections.create_connection(DEFAULT_DB_ALIAS) if connection.vendor == "postgresql" else None
        )

    def _write(self, force: bool = False, **values) -> None:
        self.values.update(values)
        now = time.monotonic()
        if self.closed or self.connection is None or (not force and now - self.last < 1.0):
            return
        self.last = now
        columns = ", ".join(f"{name} = %s" for name in self.values)
        with self.connection.cursor() as cursor:
            cursor.execute(
                f"UPDATE {ImportJob._meta.db_table} SET {columns}, updated_at = %s "
                "WHERE id = %s AND status = %s",
                [*self.values.values(), timezone.now(), self.job_id, ImportStatus.RUNNING],
            )

    def checked(self, done: int, total: int) -> None:
        self._write(bytes_done=done, bytes_total=total)

    def stage(self, stage: str) -> None:
        self._write(force=True, stage=stage)

    def rows(self, done: int) -> None:
        self._write(rows_done=done)

    def close(self) -> None:
        self.closed = True
        if self.connection is not None:
            self.connection.close()


def _fail(job_id: int, message: str) -> None:
    ImportJob.objects.filter(pk=job_id).exclude(status=ImportStatus.DONE).update(
        status=ImportStatus.FAILED, error=message, finished_at=timezone.now(), updated_at=timezone.now()
    )


def _finish(job: ImportJob, result, progress: JobProgress) -> None:
    """Inside the import's transaction: the job is done exactly when the project exists."""
    progress.close()  # its connection would wait for this transaction's lock on the job row
    now = timezone.now()
    ImportJob.objects.filter(pk=job.pk).update(
        status=ImportStatus.DONE,
        stage=ImportStage.DONE,
        project=result.project,
        rows_done=F("rows_total"),
        finished_at=now,
        updated_at=now,
        error="",
        notes="\n".join(result.notes),
    )
    ImportPerson.objects.bulk_create(
        [
            ImportPerson(
                job=job,
                archive_id=person["archive_id"],
                username=person["username"][:150],
                email=person["email"],
                first_name=person["first_name"],
                last_name=person["last_name"],
                archive_role=person["archive_role"],
                account_id=person["account_id"],
                is_importer=person["is_importer"],
            )
            for person in result.people
        ],
        batch_size=500,
    )


def _claim(job_id: int) -> bool:
    now = timezone.now()
    return bool(
        ImportJob.objects.filter(pk=job_id, status=ImportStatus.QUEUED).update(
            status=ImportStatus.RUNNING,
            stage=ImportStage.CHECKING,
            started_at=now,
            attempts=F("attempts") + 1,
            updated_at=now,
        )
    )


def _run(job: ImportJob, source) -> str:
    with in_language_of(job.created_by):  # its refusals are read by the person who imports
        return _run_as_importer(job, source)


def _run_as_importer(job: ImportJob, source) -> str:
    progress = JobProgress(job.pk)
    try:
        importer.import_archive(
            source,
            lead=job.created_by,
            progress=progress,
            on_success=lambda result: _finish(job, result, progress),
        )
    except ArchiveRefused as refusal:
        _fail(job.pk, str(refusal))
        return "refused"
    except SoftTimeLimitExceeded:
        _fail(job.pk, gettext(TIME_ERROR))
        return "failed"
    except Exception:
        logger.exception("Import job %s failed", job.pk)
        _fail(job.pk, gettext(SERVER_ERROR))
        raise
    finally:
        progress.close()
    return "done"


def import_job_run(*, job_id: int) -> str:
    """The worker's part: claim the job, import, record the outcome; the archive is deleted after."""
    claimed = _claim(job_id)
    job = ImportJob.objects.select_related("created_by").filter(pk=job_id).first()
    if job is None:
        return "gone"
    if not claimed:
        if job.is_lost:
            _fail(job.pk, LOST_ERROR)
            _delete_archive(job)
        return "skipped"
    try:
        with job.archive.open("rb") as source:
            return _run(job, source)
    finally:
        _delete_archive(job)


def import_file_now(*, source, name: str, user) -> ImportJob:
    """The management command's import: the same job and service, run at once in this process from
    a local file (no upload, no queue, no per-person limits: the operator runs it)."""
    job = ImportJob.objects.create(created_by=user, original_name=name[:255])
    _claim(job.pk)
    job.refresh_from_db()
    _run(job, source)
    job.refresh_from_db()
    return job


def _delete_archive(job: ImportJob) -> None:
    if job.archive.name:
        job.archive.storage.delete(job.archive.name)
        ImportJob.objects.filter(pk=job.pk).update(archive="")


def import_people_invite(*, job: ImportJob, choices: dict[int, str], user) -> tuple[int, list[str]]:
    """Invite the chosen people of the archive (person id -> role) to the imported project, each
    through the invitation flow: they join only if they accept. (invited, problems)."""
    from projects.invitations import invitation_create

    people = job.people.filter(pk__in=list(choices), is_importer=False, invitation__isnull=True).exclude(
        Q(email="")
    )
    invited, problems = 0, []
    for person in people:
        try:
            invitation = invitation_create(
                project=job.project, email=person.email, role=choices[person.pk], user=user
            )
        except ValidationError as error:
            problems.append(f"{person.name}: {' '.join(error.messages)}")
            continue
        ImportPerson.objects.filter(pk=person.pk).update(
            invitation=invitation, invited_role=choices[person.pk], updated_at=timezone.now()
        )
        invited += 1
    return invited, problems
