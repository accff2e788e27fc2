"""Issue 13 §5: a lead requires MFA for a project; members without it are sent to set it up."""

import pytest
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.socialaccount.models import SocialAccount

from projects.models import Activity
from tests.api.conftest import url
from tests.identity.helpers import activate_totp, add_security_key

pytestmark = pytest.mark.django_db


def _require(project, value=True):
    project.require_mfa = value
    project.save(update_fields=["require_mfa"])


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


def test_lead_requires_mfa_on_the_edit_page_and_the_history_shows_it(world, client):
    lead = world.user("lead")
    activate_totp(lead)
    client.force_login(lead)
    assert "require_mfa" in client.get(f"/projects/{world.project.pk}/edit/").content.decode()

    assert _edit(client, world.project, require_mfa="on").status_code == 302

    world.project.refresh_from_db()
    assert world.project.require_mfa
    latest = world.project.history.first()
    assert latest.require_mfa and latest.history_user == lead
    assert Activity.objects.filter(
        project=world.project, summary="Two-factor authentication now required of every member"
    ).exists()
    assert (
        "Require two-factor authentication"
        in client.get(f"/projects/{world.project.pk}/history/").content.decode()
    )


def test_member_without_mfa_is_sent_to_the_setup_with_a_message(world, client):
    _require(world.project)
    client.force_login(world.user("contributor"))

    response = client.get(f"/projects/{world.project.pk}/tasks/")

    assert response.status_code == 302 and response["Location"] == "/accounts/2fa/totp/activate/"
    follow = client.get(f"/projects/{world.project.pk}/", follow=True)
    body = follow.content.decode()
    assert "“World project” requires two-factor authentication" in body


def test_htmx_request_of_a_member_without_mfa_is_redirected_by_htmx(world, client):
    _require(world.project)
    client.force_login(world.user("viewer"))
    response = client.get(f"/projects/{world.project.pk}/tasks/", HTTP_HX_REQUEST="true")
    assert response.status_code == 204 and response["HX-Redirect"] == "/accounts/2fa/totp/activate/"


def test_member_with_totp_opens_the_project(world, client):
    _require(world.project)
    activate_totp(world.user("auditor"))
    client.force_login(world.user("auditor"))
    assert client.get(f"/projects/{world.project.pk}/").status_code == 200


def test_member_with_only_a_security_key_opens_the_project(world, client):
    _require(world.project)
    add_security_key(world.user("auditor"))
    client.force_login(world.user("auditor"))
    assert client.get(f"/projects/{world.project.pk}/").status_code == 200


def test_recovery_codes_alone_are_not_a_second_factor(world, client):
    _require(world.project)
    RecoveryCodes.activate(world.user("auditor"))  # left over after the last factor was removed
    client.force_login(world.user("auditor"))
    response = client.get(f"/projects/{world.project.pk}/")
    assert response.status_code == 302 and response["Location"] == "/accounts/2fa/totp/activate/"


def test_outsider_still_gets_404_not_the_setup(world, client):
    _require(world.project)
    client.force_login(world.user("outsider"))
    assert client.get(f"/projects/{world.project.pk}/").status_code == 404


def test_other_projects_are_unaffected(world, client):
    from tests.factories import make_project

    other = make_project(lead=world.user("contributor"), name="Relaxed project")
    _require(world.project)
    client.force_login(world.user("contributor"))
    assert client.get(f"/projects/{other.pk}/").status_code == 200
    assert client.get("/projects/").status_code == 200  # the list itself is not a project page


def test_api_through_the_session_answers_403_problem(world, client):
    _require(world.project)
    client.force_login(world.user("contributor"))
    response = client.get(url(world.project, "tasks/"))
    assert response.status_code == 403
    assert response["Content-Type"] == "application/problem+json"
    assert "requires two-factor authentication" in response.json()["detail"]


def test_api_token_of_an_owner_without_mfa_is_refused(world, api):
    _require(world.project)
    response = api(world.user("contributor")).get(url(world.project, "tasks/"))
    assert response.status_code == 403 and "two-factor" in response.json()["detail"]


def test_api_token_of_an_owner_with_totp_or_a_provider_account_works(world, api):
    _require(world.project)
    activate_totp(world.user("contributor"))
    assert api(world.user("contributor")).get(url(world.project, "tasks/")).status_code == 200
    SocialAccount.objects.create(user=world.user("viewer"), provider="acme", uid="viewer-at-idp")
    assert api(world.user("viewer")).get(url(world.project, "tasks/")).status_code == 200


def test_api_token_of_an_owner_with_a_security_key_works(world, api):
    _require(world.project)
    add_security_key(world.user("contributor"))
    assert api(world.user("contributor")).get(url(world.project, "tasks/")).status_code == 200


def test_lead_turning_the_requirement_off_is_recorded(world, client):
    _require(world.project)
    lead = world.user("lead")
    activate_totp(lead)
    client.force_login(lead)
    world.project.refresh_from_db()
    assert _edit(client, world.project).status_code == 302  # an unticked box is "off"
    world.project.refresh_from_db()
    assert not world.project.require_mfa
    assert Activity.objects.filter(summary="Two-factor authentication no longer required").exists()
