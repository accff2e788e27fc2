from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReadinessConfig(AppConfig):
    """Certification readiness (an integration app: its rules read every domain app)."""

    name = "readiness"
    label = "readiness"
    verbose_name = _("Certification readiness")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from kernel.extensions import register

        from . import integration

        register(self.label, integration.CONTRIBUTIONS)
