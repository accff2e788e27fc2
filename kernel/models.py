"""Abstract base models and the member roles every app builds on. Nothing here is a table."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class TimeStamped(models.Model):
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True


class Role(models.TextChoices):
    """A member's role in one project; the access helper checks it."""

    LEAD = "lead", _("Lead")
    CONTRIBUTOR = "contributor", _("Contributor")
    AUDITOR = "auditor", _("Auditor")
    VIEWER = "viewer", _("Viewer")
