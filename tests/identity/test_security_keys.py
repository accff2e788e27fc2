"""Security keys (WebAuthn) on the two-factor pages: a user sees and removes only their own keys.

The registration and sign-in with a real (virtual) key are in test_passkey_journey_browser.py.
"""

import pytest
from allauth.mfa.models import Authenticator
from django.test import Client

from tests.factories import UserFactory
from tests.identity.helpers import add_security_key

pytestmark = pytest.mark.django_db
PASSWORD = "pw-for-tests-1"


def _signed_in_and_confirmed(username) -> Client:
    """Signed in with the password and confirmed it again, as the key pages ask."""
    client = Client()
    assert client.post("/accounts/login/", {"login": username, "password": PASSWORD}).status_code == 302
    assert client.post("/accounts/reauthenticate/", {"password": PASSWORD}).status_code == 302
    return client


def test_the_two_factor_page_offers_security_keys():
    UserFactory(username="tina")
    body = _signed_in_and_confirmed("tina").get("/accounts/2fa/").content.decode()
    assert "Security keys" in body and "/accounts/2fa/webauthn/add/" in body


def test_another_users_key_is_not_found_and_stays():
    key = add_security_key(UserFactory(username="lena"))
    client = _signed_in_and_confirmed(UserFactory(username="mallory").username)

    assert client.get(f"/accounts/2fa/webauthn/keys/{key.pk}/edit/").status_code == 404
    assert client.post(f"/accounts/2fa/webauthn/keys/{key.pk}/remove/").status_code == 404
    assert "Test key" not in client.get("/accounts/2fa/webauthn/").content.decode()
    assert Authenticator.objects.filter(pk=key.pk).exists()


def test_own_key_is_listed_renamed_and_removed():
    tina = UserFactory(username="tina")
    client = _signed_in_and_confirmed("tina")  # before the key: with it, sign-in would ask for it
    key = add_security_key(tina, name="Desk key")
    assert "Desk key" in client.get("/accounts/2fa/webauthn/").content.decode()

    assert client.post(f"/accounts/2fa/webauthn/keys/{key.pk}/edit/", {"name": "Old key"}).status_code == 302
    assert "Old key" in client.get("/accounts/2fa/webauthn/").content.decode()

    response = client.post(f"/accounts/2fa/webauthn/keys/{key.pk}/remove/")

    assert response.status_code == 302
    assert not Authenticator.objects.filter(pk=key.pk).exists()


def test_the_add_page_serves_its_script_from_static_and_its_data_as_json():
    UserFactory(username="tina")
    response = _signed_in_and_confirmed("tina").get("/accounts/2fa/webauthn/add/")
    body = response.content.decode()
    assert response.status_code == 200
    assert "script-src 'self'" in response["Content-Security-Policy"]
    assert '<script src="/static/mfa/js/webauthn.js"></script>' in body
    assert '<script id="js_data" type="application/json">' in body  # data, not code: CSP allows it


def test_a_key_is_no_way_in_without_the_password(client):
    """Keys are a second factor only: allauth's passkey sign-in and sign-up are not mounted."""
    assert client.get("/accounts/2fa/webauthn/login/").status_code == 404
    assert client.get("/accounts/2fa/webauthn/signup/").status_code == 404


@pytest.mark.parametrize(
    "credential",
    ["", "not json", "{}", '{"id": "x", "type": "public-key"}', '{"response": {"clientDataJSON": "x"}}'],
)
def test_a_bad_credential_is_refused_with_the_form_and_nothing_saved(credential):
    tina = UserFactory(username="tina")
    client = _signed_in_and_confirmed("tina")
    client.get("/accounts/2fa/webauthn/add/")  # starts the registration (its state in the session)

    response = client.post("/accounts/2fa/webauthn/add/", {"name": "Bad key", "credential": credential})

    assert response.status_code == 200  # the form again, with its error
    assert response.context["form"].errors
    assert not Authenticator.objects.filter(user=tina).exists()


@pytest.mark.parametrize("credential", ["not json", "{}", '{"id": "x", "type": "public-key"}'])
def test_a_bad_credential_at_the_sign_in_step_is_refused_and_nobody_is_signed_in(credential):
    add_security_key(UserFactory(username="tina"))
    client = Client()
    response = client.post("/accounts/login/", {"login": "tina", "password": PASSWORD})
    assert response["Location"] == "/accounts/2fa/authenticate/"
    assert client.get("/accounts/2fa/authenticate/").status_code == 200  # offers the key

    response = client.post("/accounts/2fa/authenticate/", {"credential": credential})

    assert response.status_code == 200 and response.context["webauthn_form"].errors
    assert client.get("/projects/").status_code == 302


def test_a_bad_credential_when_confirming_access_is_refused():
    tina = UserFactory(username="tina")
    client = _signed_in_and_confirmed("tina")
    add_security_key(tina)
    assert client.get("/accounts/2fa/webauthn/reauthenticate/").status_code == 200

    bad = {"credential": '{"id": "x"}'}
    response = client.post("/accounts/2fa/webauthn/reauthenticate/", bad, follow=True)

    # allauth answers a refused key here by going back with its message, not with the form.
    assert response.redirect_chain[0] == ("/accounts/login/", 302)
    assert "Incorrect code." in [str(m) for m in response.context["messages"]]
