from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IdentityConfig(AppConfig):
    name = "identity"
    verbose_name = _("Identity (sign-in, second factor, throttling)")

    def ready(self):
        from kernel import access
        from kernel.extensions import register
        from kernel.tables import provide

        from . import integration, mfa

        register(self.label, integration.CONTRIBUTIONS)
        from .models import LanguagePreference, ThrottleEvent

        provide("throttle_event", ThrottleEvent)  # the events kernel/throttle.py counts
        provide("language_preference", LanguagePreference)  # e-mails' and PDFs' language (kernel/i18n.py)
        access.use_mfa_policy(mfa)  # who may open a project that requires MFA (identity/mfa.py)

        from . import last_login

        last_login.connect_signals()  # written once a day, not at every sign-in

        from . import second_factor_cache

        second_factor_cache.connect_signals()  # a new or removed factor changes the user's lists

        from . import languages

        languages.connect_signals()  # the chosen language follows the person into each new session
