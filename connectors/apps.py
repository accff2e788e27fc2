from django.apps import AppConfig


class ConnectorsConfig(AppConfig):
    """Tickets from the organisation's service-management tool (Request Tracker 5, Jira Service
    Management, ServiceNow, or a CSV/Excel export of any other), synced per project."""

    name = "connectors"
    label = "connectors"
    verbose_name = "Ticketing connectors"
    default_auto_field = "django.db.models.BigAutoField"
