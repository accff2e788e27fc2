from django.apps import AppConfig


class SmsTrackerConfig(AppConfig):
    name = "sms_tracker"
    verbose_name = "SMS Tracker core"

    def ready(self):
        from .core.extensions import register
        from .integration import CONTRIBUTIONS

        register(self.label, CONTRIBUTIONS)

        from .core import pagecache

        pagecache.connect_signals()  # one snapshot of generations per GET request for {% cachedpart %}

        from .identity import last_login

        last_login.connect_signals()  # written once a day, not at every sign-in

        from .core import metrics

        metrics.connect_signals()  # counts failed sign-ins for the Prometheus metrics
