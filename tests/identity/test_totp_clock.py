"""Issue 20 §4: a test that needs a fresh TOTP code moves time-machine's clock to the next 30-second
step instead of sleeping until it comes (tests/identity/helpers.py, the `totp_clock` fixture)."""

import time

from allauth.mfa import app_settings
from allauth.mfa.totp.internal.auth import generate_totp_secret, yield_hotp_counters_from_time

from tests.identity.helpers import TotpClock, totp_code

PERIOD = app_settings.TOTP_PERIOD


def step() -> int:
    return next(yield_hotp_counters_from_time())


def test_a_code_asked_for_at_the_end_of_a_step_is_the_next_steps_at_once(totp_clock):
    secret = generate_totp_secret()
    totp_clock.traveller.move_to((time.time() // PERIOD + 1) * PERIOD - 1)  # one second left
    before, started = step(), time.monotonic()

    code = totp_clock.code(secret)

    assert time.monotonic() - started < 0.5  # no sleep: the clock moved
    assert step() == before + 1 and time.time() % PERIOD < 1
    totp_clock.traveller.shift(TotpClock.MARGIN - 0.5)
    assert totp_code(secret) == code  # still the valid code when the view checks it


def test_a_code_early_in_a_step_is_that_steps(totp_clock):
    secret = generate_totp_secret()
    totp_clock.traveller.move_to((time.time() // PERIOD + 1) * PERIOD + 5)
    before = step()
    assert totp_clock.code(secret) == totp_code(secret) and step() == before


def test_the_next_step_comes_without_waiting_for_it(totp_clock):
    before, started = step(), time.monotonic()
    totp_clock.next_step()
    assert step() == before + 1 and time.time() % PERIOD < 1
    assert time.monotonic() - started < 0.5
