"""TOTP (and security keys) for tests, through allauth's own helpers (the same code the sign-in
checks against)."""

import json
import time
from pathlib import Path

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

CREDENTIAL = json.loads((Path(__file__).parent / "webauthn_credential.json").read_text())


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
    """A security key as allauth stores it after registration; the credential is one Chromium's
    virtual authenticator registered on http://localhost (test_passkey_journey_browser.py)."""
    return Authenticator.objects.create(
        user=user, type=Authenticator.Type.WEBAUTHN, data={"name": name, "credential": CREDENTIAL}
    )
