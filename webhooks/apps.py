from django.apps import AppConfig


class WebhooksConfig(AppConfig):
    name = "webhooks"
    verbose_name = "Webhooks (endpoints and their settings pages)"

    def ready(self):
        from kernel.tables import provide

        from .models import WebhookDelivery, WebhookEndpoint, WebhookEvent

        # The tables kernel/webhooks.py publishes to and kernel/webhook_delivery.py posts from.
        provide("webhook_endpoint", WebhookEndpoint)
        provide("webhook_event", WebhookEvent)
        provide("webhook_delivery", WebhookDelivery)
