"""Issue 13 §5: TOTP at sign-in, recovery codes once each, through allauth's sign-in flow."""

import pytest
from django.test import Client

from tests.factories import UserFactory
from tests.identity.helpers import activate_totp

pytestmark = pytest.mark.django_db
PASSWORD = "pw-for-tests-1"


def _password_step(client, username):
    response = client.post("/accounts/login/", {"login": username, "password": PASSWORD})
    assert response.status_code == 302 and response["Location"] == "/accounts/2fa/authenticate/"
    return response


def test_password_alone_does_not_sign_in_a_user_with_totp():
    user = UserFactory(username="tina")
    activate_totp(user)
    client = Client()
    _password_step(client, "tina")
    assert client.get("/projects/").status_code == 302  # still signed out until the code


def test_password_and_totp_code_sign_in(totp_clock):
    user = UserFactory(username="tina")
    secret, _ = activate_totp(user)
    client = Client()
    _password_step(client, "tina")
    response = client.post("/accounts/2fa/authenticate/", {"code": totp_clock.code(secret)})
    assert response.status_code == 302 and response["Location"] == "/projects/"
    assert client.get("/projects/").status_code == 200


def test_a_wrong_code_is_refused_with_a_message():
    user = UserFactory(username="tina")
    activate_totp(user)
    client = Client()
    _password_step(client, "tina")
    response = client.post("/accounts/2fa/authenticate/", {"code": "000000"})
    assert response.status_code == 200 and "Incorrect code" in response.content.decode()
    assert client.get("/projects/").status_code == 302


def test_a_recovery_code_works_once():
    user = UserFactory(username="tina")
    _, codes = activate_totp(user)
    first = Client()
    _password_step(first, "tina")
    assert first.post("/accounts/2fa/authenticate/", {"code": codes[0]})["Location"] == "/projects/"

    second = Client()
    _password_step(second, "tina")
    again = second.post("/accounts/2fa/authenticate/", {"code": codes[0]})
    assert again.status_code == 200 and "Incorrect code" in again.content.decode()
    assert second.post("/accounts/2fa/authenticate/", {"code": codes[1]})["Location"] == "/projects/"


def test_the_admin_asks_for_the_code_too(totp_clock):
    """The admin signs in through the site's page, so its second step is the same."""
    user = UserFactory(username="boss", is_staff=True, is_superuser=True)
    secret, _ = activate_totp(user)
    client = Client()
    login = client.get(client.get("/admin/")["Location"])["Location"]  # /admin/login/, then ours
    assert login.startswith("/accounts/login/")
    response = client.post(login, {"login": "boss", "password": PASSWORD})
    assert response["Location"].startswith("/accounts/2fa/authenticate/")
    done = client.post("/accounts/2fa/authenticate/", {"code": totp_clock.code(secret)})
    assert done["Location"] == "/admin/"
    assert client.get("/admin/").status_code == 200


def test_mfa_pages_are_linked_from_the_account_menu(world, client):
    client.force_login(world.user("viewer"))
    body = client.get("/account/notifications/").content.decode()
    assert 'href="/accounts/2fa/"' in body and "Two-factor authentication" in body
