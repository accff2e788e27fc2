"""Personal access tokens and the stored answers of idempotent POSTs."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kernel.models import TimeStamped


class TokenScope(models.TextChoices):
    READ = "read", _("Read")
    WRITE = "write", _("Read and write")


class AccessToken(TimeStamped):
    """A personal access token: `smst_<prefix>_<secret>`. Only the SHA-256 of the secret is stored;
    the prefix finds the row (it is shown in the list so the owner can tell tokens apart)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(max_length=100)
    prefix = models.CharField(max_length=16, unique=True)
    secret_hash = models.CharField(max_length=64)
    scope = models.CharField(max_length=10, choices=TokenScope.choices, default=TokenScope.READ)
    project = models.ForeignKey(
        "projects.Project", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    expires_at = models.DateTimeField()
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(scope__in=TokenScope.values), name="api_token_scope_valid"),
        ]

    def __str__(self):
        return f"{self.name} ({self.prefix})"

    @property
    def can_write(self) -> bool:
        return self.scope == TokenScope.WRITE

    def is_active(self, now=None) -> bool:
        now = now or timezone.now()
        return self.revoked_at is None and self.expires_at > now

    @property
    def status_label(self) -> str:
        if self.revoked_at:
            return "Revoked"
        return "Active" if self.is_active() else "Expired"


class IdempotencyRecord(models.Model):
    """The response a POST with an `Idempotency-Key` got, replayed when the same key comes again.

    `response_status` is null while the first request is still running."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=255)
    route = models.CharField(max_length=300)
    request_hash = models.CharField(max_length=64)
    response_status = models.PositiveSmallIntegerField(null=True, blank=True)
    response_body = models.JSONField(null=True, blank=True)
    response_content_type = models.CharField(max_length=60, blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "key", "route"], name="api_idempotency_unique_key"),
        ]

    def __str__(self):
        return f"{self.key} {self.route}"
