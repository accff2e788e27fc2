from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "notifications"
    verbose_name = "Notifications (reminders, calendar, e-mail preferences)"

    def ready(self):
        from kernel.tables import provide

        from .models import OutboxMessage

        provide("outbox", OutboxMessage)  # the table kernel/outbox.py records and sends
