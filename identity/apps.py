from django.apps import AppConfig


class IdentityConfig(AppConfig):
    name = "identity"
    verbose_name = "Identity (sign-in, second factor, throttling)"

    def ready(self):
        from . import last_login

        last_login.connect_signals()  # written once a day, not at every sign-in
