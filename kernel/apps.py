from django.apps import AppConfig


class KernelConfig(AppConfig):
    name = "kernel"
    verbose_name = "Kernel (access, concurrency, history, uploads, extensions; no tables)"
