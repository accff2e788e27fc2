from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "sms_tracker.api"
    label = "api"
    verbose_name = "REST API"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from . import schema  # noqa: F401 - registers the OpenAPI extension
