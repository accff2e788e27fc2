"""Tables of what the registers feed elsewhere (issue 23 §2): register snapshots, the frozen PDF
and Excel of a register filed as a version in the document register. Registered through
registers/models.py (one import at its end)."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kernel.models import TimeStamped
from kernel.uploads import safe_filename
from projects.models import Project


class SnapshotRegister(models.TextChoices):
    SERVICES = "services", "Service catalogue and SLA targets"
    SUPPLIERS = "suppliers", "Suppliers and contracts"
    RISKS = "risks", "Risks and opportunities"
    OBJECTIVES = "objectives", "Service management objectives"


class SnapshotStatus(models.TextChoices):
    QUEUED = "queued", "Being made"
    RUNNING = "running", _("Being made")
    DONE = "done", "Filed in the document register"
    FAILED = "failed", "Failed"


def snapshot_upload_to(instance, filename):
    return f"registers/snapshots/{instance.project_id}/{uuid.uuid4().hex}/{safe_filename(filename)}"


class RegisterSnapshot(TimeStamped):
    """A register frozen at one moment: a PDF (the version filed in the document register, which is
    reviewed and approved like any version) and the same rows as an Excel file kept beside it."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="register_snapshots")
    register = models.CharField(max_length=12, choices=SnapshotRegister.choices)
    status = models.CharField(max_length=10, choices=SnapshotStatus.choices, default=SnapshotStatus.QUEUED)
    document_version = models.OneToOneField(
        "documents.DocumentVersion",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="register_snapshot",
    )
    excel = models.FileField(upload_to=snapshot_upload_to, blank=True, max_length=300)
    excel_size = models.PositiveBigIntegerField(default=0)
    entries = models.PositiveIntegerField(default=0)
    error = models.TextField(blank=True)  # for the user: why it failed
    # The rendering's bookkeeping, as the reports keep it (reports/services.py): when it was last
    # sent to the queue and taken by a worker, how often taken and sent again. The sweep
    # (registers.snapshots.snapshots_stale) fails or retries a row left queued or running too long.
    queued_at = models.DateTimeField(default=timezone.now)
    started_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    requeues = models.PositiveSmallIntegerField(default=0)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["project", "-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(register__in=SnapshotRegister.values), name="snapshot_register_valid"
            ),
            models.CheckConstraint(
                condition=Q(status__in=SnapshotStatus.values), name="snapshot_status_valid"
            ),
        ]

    def __str__(self):
        return f"{self.get_register_display()} snapshot of {self.created_at:%-d %b %Y}"

    @property
    def is_active(self) -> bool:
        return self.status in (SnapshotStatus.QUEUED, SnapshotStatus.RUNNING)

    @property
    def is_stuck_in_queue(self) -> bool:
        """Waiting far longer than a worker takes to pick it up: its queue message was lost."""
        if self.status != SnapshotStatus.QUEUED:
            return False
        waited = (timezone.now() - self.queued_at).total_seconds()
        return waited > settings.REPORT_QUEUED_STALE_AFTER_SECONDS

    @property
    def may_retry(self) -> bool:
        return self.status == SnapshotStatus.FAILED or self.is_stuck_in_queue
