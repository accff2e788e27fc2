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
    """The code of the current 30-second step (the clock's, time-machine's when it travels)."""
    return format_hotp_value(hotp_value(secret, next(yield_hotp_counters_from_time())))


class TotpClock:
    """The clock of a test that signs in with TOTP codes (the `totp_clock` fixture): time-machine
    moves it to the next 30-second step where a test used to sleep until then."""

    MARGIN = 3  # seconds a code must stay valid between computing it and the view checking it

    def __init__(self, traveller):
        self.traveller = traveller

    def next_step(self) -> None:
        """Move to the start of the next step, as if its wait had passed."""
        period = app_settings.TOTP_PERIOD
        self.traveller.move_to((time.time() // period + 1) * period + 0.1)

    def code(self, secret: str) -> str:
        """A code still valid for MARGIN seconds: near the end of a step, the next step's."""
        if time.time() % app_settings.TOTP_PERIOD > app_settings.TOTP_PERIOD - self.MARGIN:
            self.next_step()
        return totp_code(secret)


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
