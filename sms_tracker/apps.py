from django.apps import AppConfig


class SmsTrackerConfig(AppConfig):
    name = "sms_tracker"
    verbose_name = "SMS Tracker core"
