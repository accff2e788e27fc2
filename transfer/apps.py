from django.apps import AppConfig


class TransferConfig(AppConfig):
    """Whole-project export and import (an integration app: it reads every domain app's models)."""

    name = "transfer"
    label = "transfer"
    verbose_name = "Project export and import"
    default_auto_field = "django.db.models.BigAutoField"
