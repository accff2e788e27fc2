"""Issue 19 §2.5: one sign-in failure budget per account, whatever the spelling of the username."""

import pytest
from axes.models import AccessAttempt
from django.test import Client

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
PASSWORD = "pw-for-tests-1"
SPELLINGS = ["THR1", "Thr1", " thr1", "thr1 ", "tHr1"]


def _post(username, password, address="198.51.100.7"):
    return Client().post("/accounts/login/", {"login": username, "password": password}, REMOTE_ADDR=address)


def _lock(settings, username="thr1"):
    # Each failure from a different address: only the account's budget counts, not the address's.
    statuses = [
        _post(username, "wrong", address=f"198.51.100.{n}").status_code
        for n in range(settings.AXES_FAILURE_LIMIT)
    ]
    assert statuses[-1] == 429


@pytest.mark.parametrize("spelling", SPELLINGS)
def test_a_locked_account_does_not_sign_in_under_another_spelling(settings, spelling):
    UserFactory(username="thr1", password=PASSWORD)
    _lock(settings)
    response = _post(spelling, PASSWORD, address="203.0.113.9")
    assert response.status_code == 429
    assert b"Too many failed sign-ins" in response.content


def test_spellings_share_one_budget(settings):
    UserFactory(username="thr1", password=PASSWORD)
    statuses = [
        _post(SPELLINGS[n % len(SPELLINGS)], "wrong", address=f"198.51.100.{n}").status_code
        for n in range(settings.AXES_FAILURE_LIMIT)
    ]
    assert statuses[-1] == 429
    assert _post("thr1", PASSWORD, address="203.0.113.9").status_code == 429
    assert set(AccessAttempt.objects.values_list("username", flat=True)) == {"thr1"}


def test_an_account_with_capitals_is_counted_under_its_own_name(settings):
    UserFactory(username="MixedCase", password=PASSWORD)
    for n, spelling in enumerate(["mixedcase", "MIXEDCASE", " MixedCase", "mixedCASE", "MixedCase"]):
        _post(spelling, "wrong", address=f"198.51.100.{n}")
    assert set(AccessAttempt.objects.values_list("username", flat=True)) == {"MixedCase"}
    assert _post("MixedCase", PASSWORD, address="203.0.113.9").status_code == 429


def test_unknown_names_are_folded_too(settings):
    for n, spelling in enumerate(["Ghost", "GHOST", " ghost"]):
        _post(spelling, "wrong", address=f"198.51.100.{n}")
    assert set(AccessAttempt.objects.values_list("username", flat=True)) == {"ghost"}


def test_the_right_password_under_another_spelling_still_signs_in_when_not_locked():
    UserFactory(username="thr1", password=PASSWORD)
    response = _post("THR1", PASSWORD)
    assert response.status_code == 302
