"""Import jobs: an uploaded archive imported in the background (tasks.py), with the progress the job
page shows, and the people of the archive the importer may invite once the project exists."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from kernel.models import Role, TimeStamped


class ImportStatus(models.TextChoices):
    QUEUED = "queued", "Waiting for a worker"
    RUNNING = "running", "Running"
    DONE = "done", "Imported"
    FAILED = "failed", "Refused, nothing imported"


class ImportStage(models.TextChoices):
    QUEUED = "queued", "Waiting for a worker"
    CHECKING = "checking", "Checking the archive"
    ROWS = "rows", "Importing the records"
    FILES = "files", "Storing the files"
    FINISHING = "finishing", "Finishing"
    DONE = "done", "Done"


def archive_upload_to(job, filename):
    """A random name: the uploaded archive is read by a worker through the storage, then deleted."""
    return f"imports/{uuid.uuid4().hex}.zip"


class ImportJob(TimeStamped):
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    archive = models.FileField(upload_to=archive_upload_to, blank=True, max_length=300)
    original_name = models.CharField(max_length=255, blank=True)
    size_bytes = models.BigIntegerField(default=0)
    status = models.CharField(max_length=20, choices=ImportStatus.choices, default=ImportStatus.QUEUED)
    stage = models.CharField(max_length=20, choices=ImportStage.choices, default=ImportStage.QUEUED)
    rows_total = models.BigIntegerField(default=0)  # the rows the manifest declares
    rows_done = models.BigIntegerField(default=0)
    bytes_total = models.BigIntegerField(default=0)  # data.json, checked before the rows are read
    bytes_done = models.BigIntegerField(default=0)
    error = models.TextField(blank=True)  # for the importer: what is wrong, never a database message
    notes = models.TextField(blank=True)  # for the importer: what a done import left out, a line each
    project = models.ForeignKey(
        "projects.Project", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["created_by", "-created_at"])]
        constraints = [
            models.CheckConstraint(condition=Q(status__in=ImportStatus.values), name="import_status_valid"),
            models.CheckConstraint(condition=Q(stage__in=ImportStage.values), name="import_stage_valid"),
            models.CheckConstraint(
                condition=Q(status=ImportStatus.DONE, project__isnull=False) | ~Q(status=ImportStatus.DONE),
                name="import_done_has_project",
            ),
        ]

    def __str__(self):
        return f"Import of {self.original_name or 'an archive'}"

    def get_absolute_url(self):
        return reverse("transfer:job", args=[self.pk])

    @property
    def is_active(self) -> bool:
        return self.status in (ImportStatus.QUEUED, ImportStatus.RUNNING) and not self.is_lost

    @property
    def is_lost(self) -> bool:
        """Running so much longer than an import may take that its worker must have gone: the
        transaction it ran in was rolled back, so nothing of it is in the database."""
        if self.status != ImportStatus.RUNNING or self.started_at is None:
            return False
        return (timezone.now() - self.started_at).total_seconds() > settings.PROJECT_IMPORT_TIME_LIMIT + 300

    @property
    def note_lines(self) -> list[str]:
        return [line for line in self.notes.splitlines() if line.strip()]

    @property
    def percent(self) -> int:
        if self.status == ImportStatus.DONE:
            return 100
        if self.stage == ImportStage.CHECKING and self.bytes_total:
            return min(99, int(100 * self.bytes_done / self.bytes_total))
        if self.stage in (ImportStage.ROWS, ImportStage.FILES, ImportStage.FINISHING) and self.rows_total:
            return min(99, int(100 * self.rows_done / self.rows_total))
        return 0


class ImportPerson(TimeStamped):
    """A person the archive names, as the archive names them. Nobody of them becomes a member by the
    import: rows that named them name an account without e-mail, password or membership (`account`)
    that carries the name; the importer may invite them (`invitation`) through the invitation flow."""

    job = models.ForeignKey(ImportJob, on_delete=models.CASCADE, related_name="people")
    archive_id = models.BigIntegerField()
    username = models.CharField(max_length=150, blank=True)
    email = models.CharField(max_length=254, blank=True)
    first_name = models.CharField(max_length=150, blank=True)
    last_name = models.CharField(max_length=150, blank=True)
    archive_role = models.CharField(max_length=20, choices=Role.choices, blank=True)
    is_importer = models.BooleanField(default=False)  # the archive's person with the importer's address
    account = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    invitation = models.ForeignKey(
        "projects.Invitation", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    invited_role = models.CharField(max_length=20, choices=Role.choices, blank=True)

    class Meta:
        ordering = ["job", "last_name", "first_name", "email", "id"]
        constraints = [
            models.UniqueConstraint(fields=["job", "archive_id"], name="import_person_unique"),
            models.CheckConstraint(
                condition=Q(archive_role__in=[*Role.values, ""]), name="import_person_role_valid"
            ),
            models.CheckConstraint(
                condition=Q(invited_role__in=[*Role.values, ""]), name="import_person_invited_role_valid"
            ),
        ]

    def __str__(self):
        return self.name

    @property
    def name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip() or self.username or self.email or "—"
