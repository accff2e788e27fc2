"""The reports' tables: generated PDF reports (rendered in the background) and the monthly report
schedule of each project. Moved from sms_tracker/models.py with their rows (migrations
sms_tracker 0009/0010, reports 0001)."""

from datetime import timedelta

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kernel.delivery import DeliveryRow, Machine
from kernel.extensions import report_kind
from kernel.models import TimeStamped


class ReportStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Running")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")


# Reports in the delivery row machine (kernel/delivery.py): queued -> running -> done/failed. A run
# lost with its worker is rendered again (a PDF is safe to redo) until REPORT_MAX_ATTEMPTS, then failed.
MACHINE = Machine(
    pending=ReportStatus.QUEUED,
    claimed=ReportStatus.RUNNING,
    done=ReportStatus.DONE,
    failed=ReportStatus.FAILED,
    max_attempts=lambda: settings.REPORT_MAX_ATTEMPTS,
    lease=lambda: timedelta(seconds=settings.REPORT_STALE_AFTER_SECONDS),
    claimed_at="started_at",
    error="error",
    done_at="finished_at",
    failed_at="finished_at",
    redo_stuck=True,
    stuck_error="The worker rendering this report stopped (no result after {lease} s, {attempts} attempts).",
    requeue=lambda now: {"queued_at": now},
)


class ReportTrigger(models.TextChoices):
    MANUAL = "manual", _("Asked for")
    SCHEDULED = "scheduled", _("Monthly schedule")


def report_upload_to(report, filename):
    return f"reports/{report.project_id}/{report.pk}/{filename}"


class Report(DeliveryRow):
    Status = ReportStatus  # for readers that reach the table through kernel.tables
    machine = MACHINE

    project = models.ForeignKey("projects.Project", on_delete=models.CASCADE, related_name="reports")
    kind = models.CharField(max_length=20)  # a kind the apps declare (kernel.extensions)
    subject_id = models.PositiveIntegerField(null=True, blank=True)  # assessment, audit or review
    title = models.CharField(max_length=200, blank=True)
    trigger = models.CharField(max_length=20, choices=ReportTrigger.choices, default=ReportTrigger.MANUAL)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    status = models.CharField(max_length=20, choices=ReportStatus.choices, default=ReportStatus.QUEUED)
    error = models.TextField(blank=True)
    file = models.FileField(upload_to=report_upload_to, blank=True, max_length=300)
    page_count = models.PositiveIntegerField(null=True, blank=True)
    size_bytes = models.PositiveIntegerField(null=True, blank=True)
    checksum = models.CharField(max_length=64, blank=True)  # SHA-256 of the PDF
    queued_at = models.DateTimeField(null=True, blank=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    requeues = models.PositiveSmallIntegerField(default=0)  # queue messages sent again after a loss
    claimed_by = models.CharField(max_length=200, blank=True)  # the worker that runs it

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["project", "-created_at"]),
            models.Index(fields=["status", "started_at"]),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(status__in=ReportStatus.values), name="report_status_valid"),
        ]

    def __str__(self):
        return self.title or self.kind_label

    @property
    def kind_label(self) -> str:
        spec = report_kind(self.kind)
        return spec.label if spec else self.kind

    @property
    def is_active(self) -> bool:
        return self.status in (ReportStatus.QUEUED, ReportStatus.RUNNING)

    @property
    def is_stuck_in_queue(self) -> bool:
        """Queued so long that its queue message was probably lost: it may be tried again."""
        if self.status != ReportStatus.QUEUED or self.queued_at is None:
            return False
        waited = (timezone.now() - self.queued_at).total_seconds()
        return waited > settings.REPORT_QUEUED_STALE_AFTER_SECONDS

    @property
    def filename(self) -> str:
        stamp = (self.finished_at or self.created_at).strftime("%Y-%m-%d")
        return f"{self.kind}-report-{self.project_id}-{stamp}-{self.pk}.pdf"

    def get_absolute_url(self):
        return reverse("reports:list", args=[self.project_id]) + f"#report-{self.pk}"


class ReportSchedule(TimeStamped):
    """The monthly management report of a project: on which day, and the last month it went out."""

    project = models.OneToOneField(
        "projects.Project", on_delete=models.CASCADE, related_name="report_schedule"
    )
    enabled = models.BooleanField(default=True)
    day_of_month = models.PositiveSmallIntegerField(default=1)
    last_run_month = models.DateField(null=True, blank=True)  # first day of the month last sent
    version = models.PositiveIntegerField(default=1)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(day_of_month__gte=1, day_of_month__lte=28), name="schedule_day_1_to_28"
            )
        ]

    def __str__(self):
        return f"Monthly report of {self.project} on day {self.day_of_month}"
