"""The notifications' tables: the e-mail outbox (sent by kernel/outbox.py, which this app provides
the table to) and each user's notification preferences. Moved from sms_tracker/models.py with their
rows (migrations sms_tracker 0009/0010, notifications 0001)."""

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q

from kernel.delivery import DeliveryRow
from kernel.extensions import email_kind
from kernel.models import TimeStamped
from kernel.outbox import MACHINE, OutboxStatus

__all__ = ["NotificationPreference", "OutboxMessage", "OutboxStatus", "new_calendar_token"]


class OutboxMessage(DeliveryRow):
    """One e-mail, recorded before it is sent. The unique key makes a second sweep insert nothing.
    Sent through the delivery row machine (kernel/delivery.py): pending -> sending -> sent/failed."""

    machine = MACHINE

    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    subject_type = models.CharField(max_length=40)  # "user" for a digest, "project" for a report
    subject_id = models.PositiveIntegerField()
    # A kind an app declares (kernel.extensions.EmailKind), checked when recorded: no choices here,
    # so a new kind of e-mail needs no migration.
    kind = models.CharField(max_length=30)
    day = models.DateField()
    to_email = models.EmailField()
    subject = models.CharField(max_length=250)
    body_text = models.TextField()
    body_html = models.TextField(blank=True)
    items = models.JSONField(default=list, blank=True)  # the reminders this message carries
    report = models.ForeignKey(
        "reports.Report", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    status = models.CharField(max_length=20, choices=OutboxStatus.choices, default=OutboxStatus.PENDING)
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
        spec = email_kind(self.kind)
        return f"{spec.label if spec else self.kind} to {self.to_email} ({self.day})"


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
