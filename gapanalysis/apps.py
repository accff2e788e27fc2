from django.apps import AppConfig


class GapanalysisConfig(AppConfig):
    name = "gapanalysis"
    verbose_name = "Gap analysis"

    def ready(self):
        from kernel.extensions import register

        from . import integration

        register(self.label, integration.CONTRIBUTIONS)
