from django.apps import AppConfig


class AuditsConfig(AppConfig):
    name = "audits"
    verbose_name = "Audits"

    def ready(self):
        from projects.progress import register_progress_provider
        from projects.readiness import register_blocker_source
        from projects.responsibilities import register_responsibility

        from .integration import RESPONSIBILITIES, audit_blockers, audit_progress

        register_progress_provider(audit_progress)
        register_blocker_source(audit_blockers)
        for responsibility in RESPONSIBILITIES:
            register_responsibility(responsibility)
