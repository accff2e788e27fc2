from django.apps import AppConfig
from django.db.models.signals import post_save


class DocumentsConfig(AppConfig):
    name = "documents"
    verbose_name = "Documented information"

    def ready(self):
        from projects.models import Project
        from projects.progress import register_progress_provider
        from projects.readiness import register_blocker_source
        from projects.responsibilities import register_responsibility

        from . import integration as hooks

        post_save.connect(
            hooks.seed_register_on_project_created, sender=Project, dispatch_uid="documents-seed"
        )
        register_progress_provider(hooks.mandatory_documents_progress)
        register_blocker_source(hooks.documented_information_blockers)
        register_responsibility(hooks.OWNED_DOCUMENTS)
        register_responsibility(hooks.DOCUMENTS_TO_APPROVE)
