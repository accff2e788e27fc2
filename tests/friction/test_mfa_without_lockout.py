"""MFA without friction (issue 25 §2.5): a lead without a second factor cannot require MFA and lock
themselves out of their own project (told before saving, refused with the reason, nothing saved);
a fresh sign-in counts as recent, so TOTP set-up and the recovery codes do not ask for the password
again seconds later — after the re-authentication timeout they still do."""

from datetime import timedelta

import pytest
import time_machine
from django.conf import settings
from django.test import Client
from django.utils import timezone

from tests.identity.helpers import activate_totp

pytestmark = pytest.mark.django_db
PASSWORD = "pw-for-tests-1"


def _edit(client, project, **changes):
    data = {
        "name": project.name,
        "organisation": project.organisation,
        "standard_edition": project.standard_edition,
        "start_date": project.start_date,
        "target_certification_date": project.target_certification_date,
        "version": project.version,
        **changes,
    }
    return client.post(f"/projects/{project.pk}/edit/", data)


def test_the_settings_page_says_what_happens_before_the_lead_requires_mfa(client, world):
    client.force_login(world.user("lead"))
    html = client.get(f"/projects/{world.project.pk}/edit/").content.decode()
    assert 'data-testid="mfa-before-saving"' in html and 'href="/accounts/2fa/totp/activate/"' in html


def test_a_lead_without_a_second_factor_is_refused_and_keeps_their_project(client, world):
    client.force_login(world.user("lead"))

    reply = _edit(client, world.project, require_mfa="on", name="Renamed")

    assert reply.status_code == 422
    assert "Set up your own two-factor authentication first" in reply.content.decode()
    world.project.refresh_from_db()
    assert (world.project.require_mfa, world.project.name) == (False, "World project")
    assert client.get(f"/projects/{world.project.pk}/").status_code == 200


def test_a_lead_with_a_second_factor_requires_mfa_and_stays_in_the_project(client, world):
    activate_totp(world.user("lead"))
    client.force_login(world.user("lead"))
    html = client.get(f"/projects/{world.project.pk}/edit/").content.decode()
    assert 'data-testid="mfa-before-saving"' not in html

    reply = _edit(client, world.project, require_mfa="on")

    assert reply.status_code == 302
    world.project.refresh_from_db()
    assert world.project.require_mfa
    assert client.get(reply["Location"]).status_code == 200  # not sent to the TOTP set-up


@pytest.mark.parametrize("path", ["/accounts/2fa/totp/activate/", "/accounts/2fa/"])
def test_right_after_signing_in_totp_setup_does_not_ask_for_the_password_again(world, path):
    client = Client()
    start = timezone.now()
    with time_machine.travel(start, tick=False) as clock:
        assert client.post("/accounts/login/", {"login": "lead", "password": PASSWORD}).status_code == 302
        clock.shift(timedelta(seconds=20))
        assert client.get(path).status_code == 200

        clock.shift(timedelta(seconds=settings.ACCOUNT_REAUTHENTICATION_TIMEOUT))
        reply = client.get("/accounts/2fa/totp/activate/")
        assert reply.status_code == 302 and reply["Location"].startswith("/accounts/reauthenticate/")


def test_recovery_codes_right_after_signing_in_with_the_second_factor(world, totp_clock):
    secret, _ = activate_totp(world.user("lead"))
    client = Client()
    reply = client.post("/accounts/login/", {"login": "lead", "password": PASSWORD})
    assert reply.status_code == 302 and reply["Location"] == "/accounts/2fa/authenticate/"
    reply = client.post("/accounts/2fa/authenticate/", {"code": totp_clock.code(secret)})
    assert reply.status_code == 302

    assert client.get("/accounts/2fa/recovery-codes/").status_code == 200
