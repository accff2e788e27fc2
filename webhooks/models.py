"""The webhooks' tables: endpoints, the events projects announce and one delivery row per endpoint and
event (published and delivered by kernel/webhooks.py, which this app provides the tables to). Moved
from sms_tracker/models.py with their rows (migrations sms_tracker 0009/0010, webhooks 0001)."""

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kernel.delivery import DeliveryRow
from kernel.models import TimeStamped
from kernel.webhook_delivery import MACHINE, DeliveryStatus

__all__ = ["DeliveryStatus", "WebhookDelivery", "WebhookEndpoint", "WebhookEvent", "new_webhook_secret"]


def new_webhook_secret() -> str:
    return secrets.token_hex(32)


class WebhookEndpoint(TimeStamped):
    project = models.ForeignKey(
        "projects.Project", on_delete=models.CASCADE, related_name="webhook_endpoints"
    )
    url = models.URLField(_("payload URL"), max_length=500)
    description = models.CharField(max_length=200, blank=True)
    events = models.JSONField(default=list)  # event names the apps contribute (extensions.webhook_events())
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


class WebhookDelivery(DeliveryRow):
    """One event to one endpoint, posted through the delivery row machine (kernel/delivery.py):
    pending -> sending -> delivered/failed, retried with backoff on next_attempt_at."""

    machine = MACHINE
    endpoint = models.ForeignKey(WebhookEndpoint, on_delete=models.CASCADE, related_name="deliveries")
    event = models.ForeignKey(WebhookEvent, on_delete=models.CASCADE, related_name="deliveries")
    status = models.CharField(max_length=20, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING)
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
