from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = "Reports (PDF rendering, schedules, exports)"

    def ready(self):
        from kernel.extensions import register
        from kernel.tables import provide

        from . import integration

        register(self.label, integration.CONTRIBUTIONS)

        from .models import Report

        provide("report", Report)  # read by the kernel's metrics (the rendering backlog)
