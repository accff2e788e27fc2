from django.apps import AppConfig


class GapanalysisConfig(AppConfig):
    name = "gapanalysis"
    verbose_name = "Gap analysis"

    def ready(self):
        from django.db.models.signals import post_migrate

        from kernel.extensions import register

        from . import content_translations, integration

        register(self.label, integration.CONTRIBUTIONS)
        # The checklist's translated columns follow the data files after every migrate, however the
        # site is deployed (docs/i18n.md).
        post_migrate.connect(content_translations.load_all, sender=self, dispatch_uid="checklist-i18n")
