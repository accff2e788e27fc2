from django.apps import AppConfig


class TicketEvidenceConfig(AppConfig):
    """Tickets as operating evidence: mapping rules, frozen monthly populations, figures and charts,
    auditor samples (issue 24 §2). Its own app inside connectors/ so its tables and migrations stay
    apart from the connectors' own."""

    name = "connectors.evidence"
    label = "ticket_evidence"
    verbose_name = "Operating evidence from tickets"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from kernel.extensions import register

        from . import integration

        register(self.label, integration.CONTRIBUTIONS)
