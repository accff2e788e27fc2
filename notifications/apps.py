from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "notifications"
    verbose_name = "Notifications (reminders, calendar, e-mail preferences)"

    def ready(self):
        from kernel.extensions import register
        from kernel.tables import provide

        from . import integration

        register(self.label, integration.CONTRIBUTIONS)

        from .models import OutboxMessage

        provide("outbox", OutboxMessage)  # the table kernel/outbox.py records and sends
