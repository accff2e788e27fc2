"""Identity's table: the events the security throttles count (kernel/throttle.py, which this app
provides the table to). Moved from sms_tracker/models.py with its rows (migrations sms_tracker
0009/0010, identity 0001)."""

from django.conf import settings
from django.db import models
from django.utils import timezone

from kernel.extensions import throttle_scopes

__all__ = ["LanguagePreference", "ThrottleEvent"]


class ThrottleEvent(models.Model):
    """One event a security throttle counts (kernel/throttle.py; docs/security.md).

    Rows in PostgreSQL rather than counters in the cache: the limits hold on every web process and
    while Redis is down, and the rows are the record of what was tried (who, from which session and
    address, which kind of code).
    """

    # A scope an app declares (Contributions.throttle_scopes), checked when an event is recorded: no
    # choices here, so a new throttle needs no migration.
    scope = models.CharField(max_length=30)
    # Whose budget: the account signing in (second factor), the inviter (invitations).
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    session = models.CharField(max_length=64, blank=True)  # SHA-256 of the session key, never the key
    detail = models.CharField(max_length=100, blank=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [
            models.Index(fields=["scope", "user", "created_at"], name="throttle_user_recent"),
            models.Index(fields=["scope", "session", "created_at"], name="throttle_session_recent"),
        ]

    def __str__(self):
        scope = throttle_scopes().get(self.scope, self.scope)
        return f"{scope}: user {self.user_id} at {self.created_at:%Y-%m-%d %H:%M:%S}"


class LanguagePreference(models.Model):
    """The language a person chose for the interface, their e-mails and the PDFs they ask for.

    No row (or an empty language) means "not chosen": pages follow the browser's Accept-Language and
    e-mails go out in LANGUAGE_CODE (identity/languages.py).
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="language_preference"
    )
    language = models.CharField(max_length=10, choices=settings.LANGUAGES, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self):
        return f"{self.user}: {self.language or 'browser language'}"
