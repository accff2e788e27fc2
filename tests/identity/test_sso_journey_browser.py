"""Issue 13 §4 in a real Chromium against a real OpenID Connect provider (tests/oidc_provider).

The provider runs as its own process on 127.0.0.1; nothing of SMS Tracker is mocked. The journey
goes through the provider's login and consent pages and back to the project list.
"""

import pytest
from allauth.socialaccount.models import SocialAccount
from django.contrib.auth import get_user_model
from playwright.sync_api import expect

from tests.factories import UserFactory, make_project
from tests.identity.conftest import PROVIDER_ID, VICTIM_EMAIL

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
IDP_PASSWORD = "idp-pass-1"


def through_the_provider(page, live_server, idp_username):
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_role("button", name="Sign in with Acme ID").click()
    # The provider's own pages: its login, then its consent.
    expect(page.get_by_role("heading", name="Sign in to the identity provider")).to_be_visible()
    page.get_by_label("IdP username").fill(idp_username)
    page.get_by_label("IdP password").fill(IDP_PASSWORD)
    page.get_by_role("button", name="Sign in to the provider").click()
    expect(page.get_by_text("Authorize SMS Tracker?")).to_be_visible()
    page.get_by_role("button", name="Authorize").click()


def test_sso_user_lands_on_project_list_linked_by_verified_email(page, live_server, sso):
    pat = UserFactory(username="pat.local", email="Pat@Example.test")
    project = make_project(lead=pat, name="Contoso SMS")
    project.require_mfa = True  # the provider answers for the second factor of its people
    project.save(update_fields=["require_mfa"])

    through_the_provider(page, live_server, "pat")

    expect(page.get_by_role("heading", name="Your projects")).to_be_visible()
    expect(page.get_by_role("link", name="Contoso SMS")).to_be_visible()
    expect(page.get_by_role("button", name="pat.local")).to_be_visible()
    page.get_by_role("link", name="Contoso SMS").click()
    expect(page.get_by_role("heading", name="Contoso SMS")).to_be_visible()
    account = SocialAccount.objects.get(provider=PROVIDER_ID)
    assert account.user == pat
    assert get_user_model().objects.count() == 1  # linked, not a second account
    pat.refresh_from_db()
    assert pat.has_usable_password()  # the local password keeps working while it is allowed


def test_unverified_email_from_the_provider_does_not_take_over_an_account(page, live_server, sso):
    victim = UserFactory(username="victim", email=VICTIM_EMAIL)
    make_project(lead=victim, name="Secret project")

    through_the_provider(page, live_server, "mallory")  # claims victim's address, email_verified false

    expect(page.get_by_role("heading", name="No account for you here yet")).to_be_visible()
    assert not SocialAccount.objects.exists()
    assert get_user_model().objects.count() == 1
    page.goto(f"{live_server.url}/projects/")
    expect(page.get_by_role("heading", name="Sign in")).to_be_visible()  # still signed out
    victim.refresh_from_db()
    assert victim.has_usable_password()


def test_unknown_people_get_no_account_unless_auto_create_is_on(page, live_server, sso, settings):
    through_the_provider(page, live_server, "newbie")
    expect(page.get_by_role("heading", name="No account for you here yet")).to_be_visible()
    assert not get_user_model().objects.exists()

    settings.OIDC_AUTO_CREATE = True
    page.context.clear_cookies()
    through_the_provider(page, live_server, "newbie")
    expect(page.get_by_role("heading", name="Your projects")).to_be_visible()
    created = get_user_model().objects.get()
    assert created.email == "newbie@example.test" and not created.memberships.exists()
