"""Connectors to a ticketing tool, their sync runs, and the tickets they bring in.

A ticket is fetched data: nothing in it is trusted. Text is cut to its field's length on the way in
(`connectors/normalise.py`, with a mark), the raw key fields keep only bounded values, and every
page escapes it (Django's autoescape; Excel through the one writer)."""

from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kernel.models import TimeStamped


class ConnectorKind(models.TextChoices):
    RT5 = "rt5", _("Request Tracker 5 (REST2)")
    JIRA = "jira", _("Jira Service Management (REST API v3)")
    SERVICENOW = "servicenow", _("ServiceNow (Table API)")
    CSV = "csv", _("CSV / Excel import")


class SyncState(models.TextChoices):
    IDLE = "idle", _("Not synced yet")
    QUEUED = "queued", _("Waiting for a worker")
    RUNNING = "running", _("Syncing")
    SUCCEEDED = "succeeded", _("Up to date")
    FAILED = "failed", _("Last sync failed")


class Connector(TimeStamped):
    project = models.ForeignKey("projects.Project", on_delete=models.CASCADE, related_name="connectors")
    kind = models.CharField(max_length=20, choices=ConnectorKind.choices)
    name = models.CharField(max_length=200)
    base_url = models.URLField(max_length=500, blank=True)
    # What to read: an RT queue name, a Jira JQL clause, a ServiceNow table (blank: the kind's default).
    scope = models.CharField(max_length=500, blank=True)
    # Fernet token of the JSON credentials (connectors/crypto.py). Never rendered, exported or logged.
    credentials_encrypted = models.TextField(blank=True, editable=False)
    # SLA resolution targets in hours per ticket type, {"incident": 8, ...}: used for a service the
    # service catalogue gives no targets for.
    targets = models.JSONField(default=dict, blank=True)
    schedule_enabled = models.BooleanField(default=True)
    sync_every_minutes = models.PositiveIntegerField(default=60)
    # Sync state the connector page shows.
    sync_state = models.CharField(max_length=20, choices=SyncState.choices, default=SyncState.IDLE)
    sync_done = models.PositiveIntegerField(default=0)  # tickets read in the current/last run
    sync_total = models.PositiveIntegerField(null=True, blank=True)  # when the tool says how many
    # Incremental sync: tickets updated at or after `synced_until` are read next time. The cursor is
    # the position inside the run in progress, saved after every page so a failed run resumes there.
    synced_until = models.DateTimeField(null=True, blank=True)
    sync_cursor = models.JSONField(default=dict, blank=True)
    last_synced_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)
    credentials_rejected = models.BooleanField(default=False)  # the tool answered 401/403
    # The claim that keeps two workers from syncing one connector at once.
    claimed_by = models.CharField(max_length=200, blank=True)
    claimed_until = models.DateTimeField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1)

    # The backup writes these empty (backup/rows.py); the project export leaves connectors out.
    BACKUP_BLANK_FIELDS = ("credentials_encrypted",)

    class Meta:
        ordering = ["name", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=ConnectorKind.values), name="connector_kind_valid"),
            models.CheckConstraint(
                condition=Q(sync_state__in=SyncState.values), name="connector_sync_state_valid"
            ),
            models.UniqueConstraint(fields=["project", "name"], name="connector_name_unique_per_project"),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("connectors:detail", args=[self.project_id, self.pk])

    @property
    def is_syncing(self) -> bool:
        """Queued or running; a run whose claim expired (its worker died) is not."""
        if self.sync_state == SyncState.QUEUED:
            return True
        held = bool(self.claimed_until) and self.claimed_until > timezone.now()
        return self.sync_state == SyncState.RUNNING and held

    @property
    def has_credentials(self) -> bool:
        return bool(self.credentials_encrypted)


class RunStatus(models.TextChoices):
    QUEUED = "queued", _("Waiting for a worker")
    RUNNING = "running", _("Running")
    SUCCEEDED = "succeeded", _("Succeeded")
    FAILED = "failed", _("Failed")


class RunTrigger(models.TextChoices):
    SCHEDULE = "schedule", _("Schedule")
    MANUAL = "manual", _("On demand")
    UPLOAD = "upload", _("File import")


class SyncRun(models.Model):
    connector = models.ForeignKey(Connector, on_delete=models.CASCADE, related_name="runs")
    status = models.CharField(max_length=20, choices=RunStatus.choices, default=RunStatus.RUNNING)
    trigger = models.CharField(max_length=20, choices=RunTrigger.choices, default=RunTrigger.MANUAL)
    started_at = models.DateTimeField()
    finished_at = models.DateTimeField(null=True, blank=True)
    updated_since = models.DateTimeField(null=True, blank=True)  # the watermark the run started from
    pages = models.PositiveIntegerField(default=0)
    fetched = models.PositiveIntegerField(default=0)
    created = models.PositiveIntegerField(default=0)
    updated = models.PositiveIntegerField(default=0)
    unchanged = models.PositiveIntegerField(default=0)
    error = models.TextField(blank=True)

    class Meta:
        ordering = ["-started_at", "-id"]
        indexes = [models.Index(fields=["connector", "-started_at"])]
        constraints = [
            models.CheckConstraint(condition=Q(status__in=RunStatus.values), name="syncrun_status_valid"),
            models.CheckConstraint(condition=Q(trigger__in=RunTrigger.values), name="syncrun_trigger_valid"),
        ]

    def __str__(self):
        return f"Sync of {self.connector} at {self.started_at:%Y-%m-%d %H:%M}"


class Ticket(TimeStamped):
    """One ticket as the tool last reported it (upserted by `external_id`)."""

    connector = models.ForeignKey(Connector, on_delete=models.CASCADE, related_name="tickets")
    project = models.ForeignKey("projects.Project", on_delete=models.CASCADE, related_name="tickets")
    external_id = models.CharField(max_length=200)
    ticket_type = models.CharField(max_length=100, blank=True)  # incident, service request, change …
    queue = models.CharField(max_length=200, blank=True)
    category = models.CharField(max_length=200, blank=True)
    title = models.CharField(max_length=500, blank=True)
    status = models.CharField(max_length=100, blank=True)
    priority = models.CharField(max_length=100, blank=True)
    opened_at = models.DateTimeField(null=True, blank=True)  # created in the tool
    resolved_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    source_updated_at = models.DateTimeField(null=True, blank=True)  # the tool's last-update time
    reopened_count = models.PositiveIntegerField(default=0)
    is_emergency = models.BooleanField(null=True, blank=True)  # changes only
    change_succeeded = models.BooleanField(null=True, blank=True)  # changes only: success / failed
    service_name = models.CharField(max_length=200, blank=True)
    # The tool's key fields as read (bounded: long values cut with a mark, see normalise.py).
    raw = models.JSONField(default=dict, blank=True)
    truncated = models.BooleanField(default=False)  # some field was cut on the way in
    fingerprint = models.CharField(max_length=64, blank=True)  # sha256 of the normalised fields

    class Meta:
        ordering = ["-opened_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["connector", "external_id"], name="ticket_external_id_unique"),
        ]
        indexes = [
            models.Index(fields=["project", "opened_at"]),
            models.Index(fields=["project", "closed_at"]),
            models.Index(fields=["connector", "source_updated_at"]),
        ]

    def __str__(self):
        return f"{self.external_id}: {self.title}"
