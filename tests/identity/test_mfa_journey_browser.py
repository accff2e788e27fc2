"""Issue 13 §5 in a real Chromium: a project that requires MFA sends its member to the setup; TOTP
set up from the account menu; sign out; sign in with password and code; sign in with a recovery
code once (the same code refused the second time)."""

import pytest
from playwright.sync_api import expect

from tests.factories import UserFactory, add_member, make_project

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "pw-for-tests-1"


def password_step(page, live_server, username):
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=login]", username)
    page.fill("input[name=password]", PASSWORD)
    page.get_by_role("button", name="Sign in").click()


def code_step(page, code):
    expect(page.get_by_role("heading", name="Two-factor authentication", exact=True)).to_be_visible()
    page.get_by_label("Code").fill(code)
    page.get_by_role("button", name="Sign in", exact=True).click()


def confirm_password(page):
    """allauth asks for the password again before an authenticator is changed, once the sign-in is
    older than ACCOUNT_REAUTHENTICATION_TIMEOUT (a fresh sign-in counts: identity/adapters.py)."""
    expect(page.get_by_role("heading", name="Confirm access", exact=True)).to_be_visible()
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Confirm").click()


def sign_out(page):
    page.get_by_role("button", name="tina").click()
    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_role("heading", name="Sign in")).to_be_visible()


def test_totp_setup_sign_in_with_code_and_with_a_recovery_code_once(page, live_server, totp_clock):
    tina = UserFactory(username="tina")
    project = make_project(name="Strict project")
    project.require_mfa = True
    project.save(update_fields=["require_mfa"])
    add_member(project, tina)

    password_step(page, live_server, "tina")
    # The list does not name a project that requires MFA; it says one waits behind the setup.
    expect(page.get_by_test_id("projects-needing-mfa")).to_contain_text("One of your projects requires")
    expect(page.get_by_role("link", name="Strict project")).to_have_count(0)
    # Opening it (a bookmark, a link in a message): straight to the setup, with the reason.
    page.goto(f"{live_server.url}/projects/{project.pk}/")
    expect(page.get_by_text("“Strict project” requires two-factor authentication")).to_be_visible()
    # Signed in seconds ago: no second password prompt (issue 25 §2.5).
    expect(page.get_by_role("heading", name="Activate authenticator app", exact=True)).to_be_visible()
    expect(page.get_by_role("img", name="QR code for your authenticator app")).to_be_visible()
    secret = page.get_by_label("Authenticator secret").input_value()
    page.get_by_label("Authenticator code").fill(totp_clock.code(secret))
    page.get_by_role("button", name="Activate").click()

    expect(page.get_by_role("heading", name="Recovery codes", exact=True)).to_be_visible()
    codes = page.get_by_label("Unused codes").input_value().split()
    assert len(codes) == 10
    page.goto(f"{live_server.url}/projects/{project.pk}/")
    expect(page.get_by_role("heading", name="Strict project")).to_be_visible()
    sign_out(page)

    # The code used to activate is spent for its 30-second step: sign in with the next one.
    totp_clock.next_step()
    password_step(page, live_server, "tina")
    code_step(page, totp_clock.code(secret))
    expect(page.get_by_role("heading", name="Your projects")).to_be_visible()
    sign_out(page)

    password_step(page, live_server, "tina")
    code_step(page, codes[0])
    expect(page.get_by_role("heading", name="Your projects")).to_be_visible()
    sign_out(page)

    password_step(page, live_server, "tina")
    code_step(page, codes[0])
    expect(page.get_by_text("Incorrect code.")).to_be_visible()
    page.goto(f"{live_server.url}/projects/")  # not signed in: back to the code step it waits in
    expect(page.get_by_role("heading", name="Two-factor authentication", exact=True)).to_be_visible()
    expect(page.get_by_role("heading", name="Your projects")).to_have_count(0)


def test_account_menu_leads_to_the_two_factor_page(page, live_server):
    UserFactory(username="tina")
    password_step(page, live_server, "tina")
    page.get_by_role("button", name="tina").click()
    page.get_by_role("link", name="Two-factor authentication").click()
    expect(page.get_by_role("heading", name="Two-factor authentication", exact=True)).to_be_visible()
    expect(page.get_by_text("An authenticator app is not active.")).to_be_visible()
    page.get_by_role("link", name="Activate").click()
    expect(page.get_by_role("heading", name="Activate authenticator app", exact=True)).to_be_visible()
