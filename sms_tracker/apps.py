from django.apps import AppConfig


class SmsTrackerConfig(AppConfig):
    name = "sms_tracker"
    verbose_name = "SMS Tracker core"

    def ready(self):
        # Importing these registers the core report kind and sections, the task export and the
        # task reminder source; the other apps add theirs in their own ready().
        from audits import reporting as audits
        from documents import reporting as documents
        from gapanalysis import reporting as gapanalysis

        from .notifications import reminders
        from .reports import exports
        from .reports import management as management_report

        self.registries = (exports, management_report, reminders, documents, gapanalysis, audits)
