from django.apps import AppConfig


class RegistersConfig(AppConfig):
    name = "registers"
    verbose_name = "SMS registers"

    def ready(self):
        from kernel.extensions import register

        from . import integration

        register(self.label, integration.CONTRIBUTIONS)
