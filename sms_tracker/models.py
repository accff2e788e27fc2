"""Shared records of the background work: generated reports, the e-mail outbox, notification
preferences (digest switch, calendar-feed token) and the monthly report schedule per project."""

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from kernel.extensions import report_kind
from kernel.models import TimeStamped


class ReportStatus(models.TextChoices):
    QUEUED = "queued", "Queued"
    RUNNING = "running", "Running"
    DONE = "done", "Done"
    FAILED = "failed", "Failed"


class ReportTrigger(models.TextChoices):
    MANUAL = "manual", "Asked for"
    SCHEDULED = "scheduled", "Monthly schedule"


def report_upload_to(report, filename):
    return f"reports/{report.project_id}/{report.pk}/{filename}"


class Report(TimeStamped):
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
    attempts = models.PositiveSmallIntegerField(default=0)
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


class OutboxKind(models.TextChoices):
    DIGEST = "digest", "Daily reminder digest"
    MONTHLY_REPORT = "monthly_report", "Monthly management report"
    INVITATION = "invitation", "Invitation to a project"
    MENTION = "mention", "Mention in a task comment"
    REVIEW_REQUEST = "review_request", "Document version to approve"


class OutboxStatus(models.TextChoices):
    PENDING = "pending", "Pending"
    SENDING = "sending", "Sending"
    SENT = "sent", "Sent"
    FAILED = "failed", "Failed"


class OutboxMessage(TimeStamped):
    """One e-mail, recorded before it is sent. The unique key makes a second sweep insert nothing."""

    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    subject_type = models.CharField(max_length=40)  # "user" for a digest, "project" for a report
    subject_id = models.PositiveIntegerField()
    kind = models.CharField(max_length=30, choices=OutboxKind.choices)
    day = models.DateField()
    to_email = models.EmailField()
    subject = models.CharField(max_length=250)
    body_text = models.TextField()
    body_html = models.TextField(blank=True)
    items = models.JSONField(default=list, blank=True)  # the reminders this message carries
    report = models.ForeignKey(Report, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    status = models.CharField(max_length=20, choices=OutboxStatus.choices, default=OutboxStatus.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.TextField(blank=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "subject_type", "subject_id", "kind", "day"], name="outbox_unique_key"
            ),
            models.CheckConstraint(condition=Q(status__in=OutboxStatus.values), name="outbox_status_valid"),
        ]
        indexes = [models.Index(fields=["status", "created_at"])]

    def __str__(self):
        return f"{self.get_kind_display()} to {self.to_email} ({self.day})"


def new_calendar_token() -> str:
    return secrets.token_urlsafe(32)


class NotificationPreference(TimeStamped):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_preference"
    )
    digest_enabled = models.BooleanField(default=True)
    calendar_token = models.CharField(max_length=64, null=True, blank=True, unique=True)
    calendar_token_created_at = models.DateTimeField(null=True, blank=True)

    def __str__(self):
        return f"Notifications of {self.user}"


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


# Webhooks (kernel/webhooks.py) -----------------------------------------------------


def new_webhook_secret() -> str:
    return secrets.token_hex(32)


class WebhookEndpoint(TimeStamped):
    project = models.ForeignKey(
        "projects.Project", on_delete=models.CASCADE, related_name="webhook_endpoints"
    )
    url = models.URLField("payload URL", max_length=500)
    description = models.CharField(max_length=200, blank=True)
    events = models.JSONField(default=list)  # event names from events.EVENTS
    secret = models.CharField(max_length=64, default=new_webhook_secret)
    active = models.BooleanField(default=True)
    version = models.PositiveIntegerField(default=1)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["project", "id"]

    def __str__(self):
        return self.url

    def get_absolute_url(self):
        return reverse("webhooks:detail", args=[self.project_id, self.pk])


class WebhookEvent(models.Model):
    """Something that happened in a project, once: the key makes a second publish insert nothing."""

    project = models.ForeignKey("projects.Project", on_delete=models.CASCADE, related_name="+")
    name = models.CharField(max_length=40)
    key = models.CharField(max_length=200)
    payload = models.JSONField()
    occurred_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-occurred_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["project", "key"], name="webhook_event_unique_key")]

    def __str__(self):
        return f"{self.name} ({self.key})"


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", "Pending"
    SENDING = "sending", "Sending"
    DELIVERED = "delivered", "Delivered"
    FAILED = "failed", "Failed"


class WebhookDelivery(TimeStamped):
    endpoint = models.ForeignKey(WebhookEndpoint, on_delete=models.CASCADE, related_name="deliveries")
    event = models.ForeignKey(WebhookEvent, on_delete=models.CASCADE, related_name="deliveries")
    status = models.CharField(max_length=20, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(default=timezone.now)
    claimed_at = models.DateTimeField(null=True, blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True)
    last_status_code = models.PositiveSmallIntegerField(null=True, blank=True)
    last_error = models.TextField(blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["endpoint", "event"], name="webhook_delivery_once_per_endpoint"),
            models.CheckConstraint(
                condition=Q(status__in=DeliveryStatus.values), name="webhook_delivery_status_valid"
            ),
        ]
        indexes = [models.Index(fields=["status", "next_attempt_at"])]

    def __str__(self):
        return f"{self.event} to {self.endpoint} ({self.status})"


class ReadinessSnapshot(models.Model):
    """The readiness last announced for a project, so a change is announced once."""

    project = models.OneToOneField("projects.Project", on_delete=models.CASCADE, related_name="+")
    fingerprint = models.CharField(max_length=64)
    generation = models.PositiveIntegerField(default=0)

    def __str__(self):
        return f"Readiness of project {self.project_id} (announcement {self.generation})"


class ThrottleScope(models.TextChoices):
    SECOND_FACTOR = "second_factor", "Wrong second-factor code or security key"
    INVITATION = "invitation", "Invitation sent"


class ThrottleEvent(models.Model):
    """One event a security throttle counts (kernel/throttle.py; docs/security.md).

    Rows in PostgreSQL rather than counters in the cache: the limits hold on every web process and
    while Redis is down, and the rows are the record of what was tried (who, from which session and
    address, which kind of code).
    """

    scope = models.CharField(max_length=30, choices=ThrottleScope.choices)
    # Whose budget: the account signing in (second factor), the inviter (invitations).
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    session = models.CharField(max_length=64, blank=True)  # SHA-256 of the session key, never the key
    detail = models.CharField(max_length=100, blank=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [
            models.Index(fields=["scope", "user", "created_at"], name="throttle_user_recent"),
            models.Index(fields=["scope", "session", "created_at"], name="throttle_session_recent"),
        ]

    def __str__(self):
        return f"{self.get_scope_display()}: user {self.user_id} at {self.created_at:%Y-%m-%d %H:%M:%S}"
