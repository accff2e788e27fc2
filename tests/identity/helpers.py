"""TOTP (and security keys) for tests, through allauth's own helpers (the same code the sign-in
checks against)."""

import time

from allauth.mfa import app_settings
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import (
    TOTP,
    format_hotp_value,
    generate_totp_secret,
    hotp_value,
    yield_hotp_counters_from_time,
)


def totp_code(secret: str) -> str:
    """The code of the current 30-second step; not in the step's last seconds, which would expire
    between computing it here and checking it in the view."""
    if time.time() % app_settings.TOTP_PERIOD > app_settings.TOTP_PERIOD - 3:
        time.sleep(app_settings.TOTP_PERIOD - time.time() % app_settings.TOTP_PERIOD + 0.1)
    return format_hotp_value(hotp_value(secret, next(yield_hotp_counters_from_time())))


def activate_totp(user) -> tuple[str, list[str]]:
    """TOTP and recovery codes for the user, as the setup page leaves them: (secret, codes)."""
    secret = generate_totp_secret()
    TOTP.activate(user, secret)
    return secret, RecoveryCodes.activate(user).generate_codes()


def add_security_key(user, name="Test key") -> Authenticator:
    """A WebAuthn authenticator row as allauth stores one, without a real credential: enough for
    "who satisfies project-required MFA" (the browser journey registers a real one)."""
    return Authenticator.objects.create(
        user=user, type=Authenticator.Type.WEBAUTHN, data={"name": name, "credential": {}}
    )
