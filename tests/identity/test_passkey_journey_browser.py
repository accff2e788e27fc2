"""Issue 13 §5 in a real Chromium with a virtual authenticator (Chrome DevTools Protocol): a security
key added on the two-factor page (these pages pass axe); sign out; sign in with the password and the
key; a project that requires MFA opens for a user whose only second factor is the key; the key
removed again.

WebAuthn needs a secure context: the page is opened on http://localhost (not 127.0.0.1)."""

from datetime import timedelta

import pytest
import time_machine
from allauth.mfa.models import Authenticator
from django.conf import settings
from django.utils import timezone
from playwright.sync_api import expect

from tests.browser.demo import serious_violations
from tests.factories import UserFactory, add_member, make_project
from tests.identity.test_mfa_journey_browser import PASSWORD, sign_out

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def localhost(live_server) -> str:
    return live_server.url.replace("127.0.0.1", "localhost")


@pytest.fixture
def authenticator(page):
    """A platform authenticator that verifies the user (like Touch ID) and keeps resident keys."""
    cdp = page.context.new_cdp_session(page)
    cdp.send("WebAuthn.enable")
    added = cdp.send(
        "WebAuthn.addVirtualAuthenticator",
        {
            "options": {
                "protocol": "ctap2",
                "transport": "internal",
                "hasResidentKey": True,
                "hasUserVerification": True,
                "isUserVerified": True,
            }
        },
    )
    yield cdp, added["authenticatorId"]
    cdp.send("WebAuthn.removeVirtualAuthenticator", {"authenticatorId": added["authenticatorId"]})


def password_step(page, base, username):
    page.goto(f"{base}/accounts/login/")
    page.fill("input[name=login]", username)
    page.fill("input[name=password]", PASSWORD)
    page.get_by_role("button", name="Sign in").click()


def test_security_key_added_then_asked_for_at_sign_in_and_enough_for_a_strict_project(
    page, live_server, authenticator
):
    cdp, authenticator_id = authenticator
    base = localhost(live_server)
    tina = UserFactory(username="tina")
    project = make_project(name="Strict project")
    project.require_mfa = True
    project.save(update_fields=["require_mfa"])
    add_member(project, tina)
    page_errors = []
    page.on("pageerror", lambda error: page_errors.append(str(error)))
    page.on("console", lambda msg: msg.type == "error" and page_errors.append(msg.text))

    password_step(page, base, "tina")
    page.goto(f"{base}/accounts/2fa/")
    page.get_by_role("link", name="Add").last.click()  # the security keys' "Add"
    expect(page.get_by_role("heading", name="Add security key", exact=True)).to_be_visible()
    assert serious_violations(page) == []
    page.get_by_label("Name").fill("Laptop key")
    page.get_by_role("button", name="Add").click()

    expect(
        page.get_by_role("heading", name="Recovery codes", exact=True)
    ).to_be_visible()  # the first factor's codes
    key = Authenticator.objects.get(user=tina, type=Authenticator.Type.WEBAUTHN)
    assert key.wrap().name == "Laptop key"
    credentials = cdp.send("WebAuthn.getCredentials", {"authenticatorId": authenticator_id})["credentials"]
    assert len(credentials) == 1
    page.goto(f"{base}/accounts/2fa/webauthn/")
    expect(page.get_by_role("cell", name="Laptop key")).to_be_visible()
    assert serious_violations(page) == []
    sign_out(page)

    # The password alone is not enough: the key is asked for, and signs in.
    password_step(page, base, "tina")
    expect(page.get_by_role("heading", name="Two-factor authentication", exact=True)).to_be_visible()
    assert serious_violations(page) == []
    page.get_by_role("button", name="Use a security key").click()
    expect(page.get_by_role("heading", name="Your projects")).to_be_visible()
    key.refresh_from_db()
    assert key.last_used_at is not None

    # The key is the only second factor, and the strict project opens.
    assert not Authenticator.objects.filter(user=tina, type=Authenticator.Type.TOTP).exists()
    page.get_by_role("link", name="Strict project").click()
    expect(page.get_by_role("heading", name="Strict project")).to_be_visible()

    # Removed again once the sign-in is no longer recent, access confirmed with the key itself
    # instead of the password: the strict project then sends her to the setup.
    later = timezone.now() + timedelta(seconds=settings.ACCOUNT_REAUTHENTICATION_TIMEOUT + 5)
    with time_machine.travel(later):
        page.goto(f"{base}/accounts/2fa/webauthn/")
        expect(page.get_by_role("cell", name="Laptop key")).to_be_visible()
        page.get_by_role("link", name="Remove").click()
        expect(page.get_by_role("heading", name="Confirm access", exact=True)).to_be_visible()
        page.get_by_role("link", name="Use a security key").click()  # to the key's own confirm page
        page.get_by_role("button", name="Use a security key").click()
        expect(page.get_by_role("heading", name="Remove security key", exact=True)).to_be_visible()
        page.get_by_role("button", name="Remove").click()
        expect(page.get_by_text("No security keys have been added.")).to_be_visible()
        assert not Authenticator.objects.filter(user=tina, type=Authenticator.Type.WEBAUTHN).exists()
        page.goto(f"{base}/projects/{project.pk}/")
        expect(page.get_by_text("“Strict project” requires two-factor authentication")).to_be_visible()
    assert page_errors == []
