from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class KernelConfig(AppConfig):
    name = "kernel"
    verbose_name = _("Kernel (access, concurrency, history, uploads, extensions; no tables)")

    def ready(self):
        from . import metrics, pagecache

        pagecache.connect_signals()  # records reads and bumps generations for {% cachedpart %}
        metrics.connect_signals()  # counts failed sign-ins for the Prometheus metrics
