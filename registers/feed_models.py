"""Tables of what the registers feed elsewhere (issue 23 §2): register snapshots, the frozen PDF
and Excel of a register filed as a version in the document register. Registered through
registers/models.py (one import at its end)."""

import uuid
from datetime import timedelta

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.functional import lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from kernel.delivery import DeliveryRow, Machine
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


def _stuck_error() -> str:
    # The translated sentence (its msgid unchanged) with the machine's {lease} and {attempts} slots:
    # evaluated lazily, when the sweep formats it, in the language active then.
    return gettext(
        "The worker making this snapshot stopped (no result after %(seconds)s s, %(attempts)s "
        "attempts). Try again."
    ) % {"seconds": "{lease}", "attempts": "{attempts}"}


# Snapshots in the delivery row machine (kernel/delivery.py) on the reports' terms (reports.models
# MACHINE): queued -> running -> done/failed; a run lost with its worker is rendered again (nothing
# was filed: filing checks the claim) until REPORT_MAX_ATTEMPTS, then failed with the reason.
MACHINE = Machine(
    pending=SnapshotStatus.QUEUED,
    claimed=SnapshotStatus.RUNNING,
    done=SnapshotStatus.DONE,
    failed=SnapshotStatus.FAILED,
    max_attempts=lambda: settings.REPORT_MAX_ATTEMPTS,
    lease=lambda: timedelta(seconds=settings.REPORT_STALE_AFTER_SECONDS),
    claimed_at="started_at",
    error="error",
    redo_stuck=True,
    stuck_error=lazy(_stuck_error, str)(),
    requeue=lambda now: {"queued_at": now},
)


def snapshot_upload_to(instance, filename):
    return f"registers/snapshots/{instance.project_id}/{uuid.uuid4().hex}/{safe_filename(filename)}"


class RegisterSnapshot(DeliveryRow):
    """A register frozen at one moment: a PDF (the version filed in the document register, which is
    reviewed and approved like any version) and the same rows as an Excel file kept beside it."""

    machine = MACHINE

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
    # The rendering's bookkeeping, as the reports keep it: when it was last sent to the queue and
    # taken by a worker (`attempts`, the claims so far, comes from DeliveryRow), how often sent again.
    # The sweep (registers.snapshots.snapshots_stale) fails or retries a row left queued or running too long.
    queued_at = models.DateTimeField(default=timezone.now)
    started_at = models.DateTimeField(null=True, blank=True)
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
