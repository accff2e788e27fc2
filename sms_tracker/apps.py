from django.apps import AppConfig


class SmsTrackerConfig(AppConfig):
    name = "sms_tracker"
    verbose_name = "SMS Tracker core"

    def ready(self):
        # Importing these registers the core report kind and sections, the task export and the
        # task reminder source; the other apps add theirs in their own ready().
        from . import exports, management_report, reminders
        from .integrations import audits, documents, gapanalysis

        self.registries = (exports, management_report, reminders, documents, gapanalysis, audits)
