"""Tables of what the registers feed elsewhere (issue 23 §2): register snapshots, the frozen PDF
and Excel of a register filed as a version in the document register. Registered through
registers/models.py (one import at its end)."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q

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
    error = models.TextField(blank=True)
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
