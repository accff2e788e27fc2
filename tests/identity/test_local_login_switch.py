"""Issue 13 §4: LOCAL_LOGIN_ENABLED=0 leaves only the identity provider; the SSO button only when
one is configured (make run starts without any)."""

import pytest
from django.test import Client

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def configured(settings):
    settings.SOCIALACCOUNT_PROVIDERS = {
        "openid_connect": {
            "APPS": [
                {
                    "provider_id": "acme",
                    "name": "Acme ID",
                    "client_id": "sms",
                    "secret": "s3cret",
                    "settings": {"server_url": "https://id.acme.example/realms/staff"},
                }
            ]
        }
    }


@pytest.fixture
def local_off(settings):
    settings.LOCAL_LOGIN_ENABLED = False


def test_without_oidc_settings_the_page_has_the_password_form_and_no_sso_button(client):
    body = client.get("/accounts/login/").content.decode()
    assert 'name="password"' in body and "Forgot your password?" in body
    assert "sso-login" not in body


def test_with_a_provider_the_button_posts_to_it_and_csp_allows_its_origin(client, configured):
    response = client.get("/accounts/login/")
    body = response.content.decode()
    assert "Sign in with Acme ID" in body and 'action="/accounts/oidc/acme/login/?process=login' in body
    assert 'name="password"' in body  # both, while the password login is on
    form_action = next(
        d for d in response["Content-Security-Policy"].split(";") if d.strip().startswith("form-action")
    )
    assert form_action.split() == ["form-action", "'self'", "https://id.acme.example"]


def test_switched_off_the_page_offers_only_the_provider(client, configured, local_off):
    body = client.get("/accounts/login/").content.decode()
    assert "Sign in with Acme ID" in body
    assert 'name="password"' not in body and "Forgot your password?" not in body


def test_switched_off_a_password_post_is_refused(client, local_off):
    UserFactory(username="pia")
    response = client.post("/accounts/login/", {"login": "pia", "password": "pw-for-tests-1"})
    assert response.status_code == 403
    assert "_auth_user_id" not in client.session


def test_switched_off_without_a_provider_the_page_says_so(client, local_off):
    body = client.get("/accounts/login/").content.decode()
    assert "no identity provider is configured" in body


def test_switched_off_password_reset_and_change_do_not_exist(client, local_off, mailoutbox):
    UserFactory(username="pia", email="pia@example.test")
    assert client.get("/accounts/password/reset/").status_code == 404
    assert client.post("/accounts/password/reset/", {"email": "pia@example.test"}).status_code == 404
    assert not mailoutbox
    assert client.get("/accounts/password/reset/key/1-any/").status_code == 404
    signed_in = Client()
    signed_in.force_login(UserFactory(username="pat"))
    assert signed_in.get("/accounts/password/change/").status_code == 404
    assert "Change password" not in signed_in.get("/account/notifications/").content.decode()


def test_switched_off_the_admin_has_no_password_form_either(client, local_off):
    UserFactory(username="boss", is_staff=True, is_superuser=True)
    response = client.post("/admin/login/", {"username": "boss", "password": "pw-for-tests-1"})
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    assert client.get("/admin/").status_code == 302


def test_switched_off_an_invitation_to_a_new_address_says_to_use_the_provider(world, local_off, settings):
    from notifications.models import OutboxMessage
    from projects.invitations import invitation_create

    settings.OIDC_PROVIDER_NAME = "Acme ID"
    invitation_create(
        project=world.project, email="new.person@example.test", role="viewer", user=world.user("lead")
    )
    body = OutboxMessage.objects.get(to_email="new.person@example.test").body_text
    assert "Sign in with your organisation's account (Acme ID)" in body and "password" not in body


def test_sign_up_stays_closed(client):
    response = client.post(
        "/accounts/signup/",
        {
            "email": "x@example.test",
            "username": "x",
            "password1": "a-long-pass-42",
            "password2": "a-long-pass-42",
        },
    )
    assert response.status_code == 200 and "No account for you here yet" in response.content.decode()
    from django.contrib.auth import get_user_model

    assert not get_user_model().objects.filter(username="x").exists()


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/x", "/\\evil.example"])
def test_next_never_leaves_the_site(client, target):
    UserFactory(username="pia")
    response = client.post(
        f"/accounts/login/?next={target}", {"login": "pia", "password": "pw-for-tests-1", "next": target}
    )
    assert response.status_code == 302 and response["Location"] == "/projects/"
