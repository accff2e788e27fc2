from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProjectsConfig(AppConfig):
    name = "projects"
    verbose_name = _("Projects and roadmap")

    def ready(self):
        from kernel.extensions import register

        from . import integration

        register(self.label, integration.CONTRIBUTIONS)
