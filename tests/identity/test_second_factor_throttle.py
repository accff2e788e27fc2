"""Issue 19 §2.1: wrong second-factor codes are counted in PostgreSQL, per account and per session,
and past the limit every code is refused (the right one too) with a plain message."""

from datetime import timedelta
from unittest import mock

import pytest
from django.db import DatabaseError
from django.db.models import F
from django.test import Client

from identity.models import ThrottleEvent
from identity.second_factor import SCOPE as SECOND_FACTOR
from tests.factories import UserFactory
from tests.identity.helpers import activate_totp, add_security_key, totp_code

pytestmark = pytest.mark.django_db
PASSWORD = "pw-for-tests-1"
AUTHENTICATE = "/accounts/2fa/authenticate/"


def _password_step(username, address="198.51.100.7") -> Client:
    client = Client(REMOTE_ADDR=address)
    response = client.post("/accounts/login/", {"login": username, "password": PASSWORD})
    assert response.status_code == 302 and response["Location"] == AUTHENTICATE
    return client


def _signed_in(client) -> bool:
    return "_auth_user_id" in client.session


def _wrong(client, times, code="000000"):
    return [client.post(AUTHENTICATE, {"code": code}).content.decode() for _ in range(times)]


def test_the_right_code_is_refused_after_the_limit_with_a_plain_message(settings):
    user = UserFactory(username="tina")
    secret, codes = activate_totp(user)
    client = _password_step("tina")
    bodies = _wrong(client, settings.SECOND_FACTOR_FAILURES_PER_USER)
    assert all("Incorrect code" in body for body in bodies[:-1])
    assert "Too many wrong codes. Try again in 15 minutes." in bodies[-1]

    for code in (totp_code(secret), codes[0]):
        response = client.post(AUTHENTICATE, {"code": code})
        assert response.status_code == 200 and "Too many wrong codes" in response.content.decode()
    assert not _signed_in(client)
    assert ThrottleEvent.objects.filter(scope=SECOND_FACTOR, user=user).count() == 5


def test_the_lockout_holds_for_a_new_sign_in_from_another_address(settings):
    user = UserFactory(username="tina")
    secret, _ = activate_totp(user)
    _wrong(_password_step("tina"), settings.SECOND_FACTOR_FAILURES_PER_USER)

    fresh = _password_step("tina", address="203.0.113.9")
    response = fresh.post(AUTHENTICATE, {"code": totp_code(secret)})
    assert "Too many wrong codes. Try again in" in response.content.decode()
    assert not _signed_in(fresh)


def test_the_failures_are_recorded_with_what_was_tried():
    user = UserFactory(username="tina")
    activate_totp(user)
    client = _password_step("tina")
    _wrong(client, 1)
    _wrong(client, 1, code="abcd-1234")
    events = list(ThrottleEvent.objects.filter(user=user).order_by("pk"))
    assert [event.detail for event in events] == ["totp", "recovery_code"]
    assert {event.ip_address for event in events} == {"198.51.100.7"}
    assert len(events[0].session) == 64 and events[0].session != client.session.session_key


def test_the_code_works_again_once_the_window_has_moved_on(settings):
    user = UserFactory(username="tina")
    secret, _ = activate_totp(user)
    client = _password_step("tina")
    _wrong(client, settings.SECOND_FACTOR_FAILURES_PER_USER)
    ThrottleEvent.objects.filter(user=user).update(
        created_at=F("created_at") - timedelta(minutes=settings.SECOND_FACTOR_WINDOW_MINUTES, seconds=1)
    )
    response = client.post(AUTHENTICATE, {"code": totp_code(secret)})
    assert response.status_code == 302 and _signed_in(client)


def test_a_few_wrong_codes_then_the_right_one_signs_in(settings):
    user = UserFactory(username="tina")
    secret, _ = activate_totp(user)
    client = _password_step("tina")
    _wrong(client, settings.SECOND_FACTOR_FAILURES_PER_USER - 1)
    assert client.post(AUTHENTICATE, {"code": totp_code(secret)}).status_code == 302
    assert _signed_in(client)


def test_a_session_has_its_own_smaller_budget(settings):
    settings.SECOND_FACTOR_FAILURES_PER_SESSION = 3
    user = UserFactory(username="tina")
    secret, _ = activate_totp(user)
    first = _password_step("tina")
    bodies = _wrong(first, 3)
    assert "Incorrect code" in bodies[1] and "Too many wrong codes" in bodies[2]
    assert "Too many wrong codes" in first.post(AUTHENTICATE, {"code": totp_code(secret)}).content.decode()
    # The account has failures left (3 of 5): another session signs in with the right code.
    second = _password_step("tina", address="203.0.113.9")
    assert second.post(AUTHENTICATE, {"code": totp_code(secret)}).status_code == 302 and _signed_in(second)


def test_a_wrong_security_key_counts_and_the_key_step_is_locked_too(settings):
    user = UserFactory(username="tina")
    activate_totp(user)
    add_security_key(user)
    client = _password_step("tina")
    bodies = [
        client.post(AUTHENTICATE, {"credential": '{"id": "x", "type": "public-key"}'}).content.decode()
        for _ in range(settings.SECOND_FACTOR_FAILURES_PER_USER)
    ]
    assert "Incorrect code" in bodies[0] and "Too many wrong codes" in bodies[-1]
    assert set(ThrottleEvent.objects.filter(user=user).values_list("detail", flat=True)) == {"security_key"}


def test_reauthentication_with_a_code_is_throttled_too(settings):
    user = UserFactory(username="tina")
    secret, _ = activate_totp(user)
    client = _password_step("tina")
    assert client.post(AUTHENTICATE, {"code": totp_code(secret)}).status_code == 302
    bodies = [
        client.post("/accounts/2fa/reauthenticate/", {"code": "000000"}).content.decode()
        for _ in range(settings.SECOND_FACTOR_FAILURES_PER_USER)
    ]
    assert "Too many wrong codes" in bodies[-1]
    response = client.post("/accounts/2fa/reauthenticate/", {"code": totp_code(secret)})
    assert response.status_code == 200 and "Too many wrong codes" in response.content.decode()


def test_it_refuses_when_the_count_cannot_be_read():
    user = UserFactory(username="tina")
    secret, _ = activate_totp(user)
    client = _password_step("tina")
    with mock.patch("kernel.throttle.retry_after", side_effect=DatabaseError("down")):
        response = client.post(AUTHENTICATE, {"code": totp_code(secret)})
    assert response.status_code == 200
    assert "cannot be checked just now" in response.content.decode()
    assert not _signed_in(client)


def test_the_counts_do_not_live_in_the_cache(settings):
    """With the cache unreachable the lockout still holds (it is read from PostgreSQL)."""
    user = UserFactory(username="tina")
    secret, _ = activate_totp(user)
    client = _password_step("tina")
    _wrong(client, settings.SECOND_FACTOR_FAILURES_PER_USER)
    from django.core.cache import cache

    cache.clear()
    response = client.post(AUTHENTICATE, {"code": totp_code(secret)})
    assert "Too many wrong codes" in response.content.decode() and not _signed_in(client)
