from django.apps import AppConfig


class GapanalysisConfig(AppConfig):
    name = "gapanalysis"
    verbose_name = "Gap analysis"

    def ready(self):
        from projects.progress import register_progress_provider
        from projects.readiness import register_blocker_source
        from projects.responsibilities import register_responsibility

        from . import selectors, services

        register_progress_provider(selectors.gap_phase_progress)
        register_blocker_source(selectors.gap_readiness_blockers)
        register_responsibility(services.AUDITOR_ASSIGNMENTS)
