from django.apps import AppConfig


class ReadinessConfig(AppConfig):
    """Certification readiness (an integration app: its rules read every domain app)."""

    name = "readiness"
    label = "readiness"
    verbose_name = "Certification readiness"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from kernel.extensions import register

        from . import integration

        register(self.label, integration.CONTRIBUTIONS)
