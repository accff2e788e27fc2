from django.apps import AppConfig


class KernelConfig(AppConfig):
    name = "kernel"
    verbose_name = "Kernel (access, concurrency, history, uploads, extensions; no tables)"

    def ready(self):
        from . import metrics, pagecache

        pagecache.connect_signals()  # records reads and bumps generations for {% cachedpart %}
        metrics.connect_signals()  # counts failed sign-ins for the Prometheus metrics
