from django.apps import AppConfig


class SmsTrackerConfig(AppConfig):
    """The project's configuration (settings, URLs, Celery, WSGI, gunicorn) holds no role and no
    table: it stays an app only for the history of its migrations, which moved its former tables to
    the apps whose role they are (migrations 0009, 0010); a database made before that still has
    them to run."""

    name = "sms_tracker"
    verbose_name = "SMS Tracker (configuration; migration history only)"
