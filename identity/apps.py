from django.apps import AppConfig


class IdentityConfig(AppConfig):
    name = "identity"
    verbose_name = "Identity (sign-in, second factor, throttling)"

    def ready(self):
        from kernel.tables import provide

        from .models import ThrottleEvent

        provide("throttle_event", ThrottleEvent)  # the events kernel/throttle.py counts
