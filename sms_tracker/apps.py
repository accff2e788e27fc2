from django.apps import AppConfig


class SmsTrackerConfig(AppConfig):
    name = "sms_tracker"
    verbose_name = "SMS Tracker core"

    def ready(self):
        from kernel.extensions import register

        from .integration import CONTRIBUTIONS

        register(self.label, CONTRIBUTIONS)

        from kernel import pagecache

        pagecache.connect_signals()  # records reads and bumps generations for {% cachedpart %}

        from kernel import metrics

        metrics.connect_signals()  # counts failed sign-ins for the Prometheus metrics
