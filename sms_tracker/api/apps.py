from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "sms_tracker.api"
    label = "api"
    verbose_name = "REST API"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from sms_tracker.core.extensions import Contributions, DemoData, register

        from . import schema  # noqa: F401 - registers the OpenAPI extension
        from .demo import seed_api_tokens

        register(self.label, Contributions(demo_data=DemoData(seed_api_tokens, order=90)))
