"""An invited newcomer who sets a password is signed in at once, on the project, and has given the
name the team sees; a person with invitations and no project sees "See invitations" first
(issue 25 §2.8)."""

import pytest
from allauth.account.forms import default_token_generator
from django.contrib.auth import get_user_model
from django.test import Client

from projects.invitations import invitation_create
from projects.models import Membership
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
PASSWORD = "a-long-new-pass-42"


def _join_link(world, email="nina.owner@example.test"):
    invitation = invitation_create(
        project=world.project, email=email, role="auditor", user=world.user("lead")
    )
    return (
        invitation,
        f"/invitations/{invitation.pk}/join/{default_token_generator.make_token(invitation.user)}/",
    )


def test_the_invitee_is_signed_in_on_the_project_and_seen_by_name(world):
    invitation, link = _join_link(world)
    visitor = Client()
    page = visitor.get(link).content.decode()
    assert 'name="name-first_name"' in page and 'name="name-last_name"' in page

    done = visitor.post(
        link,
        {
            "answer": "accept",
            "name-first_name": " Nina ",
            "name-last_name": "Owner",
            "new_password1": PASSWORD,
            "new_password2": PASSWORD,
        },
    )

    assert done.status_code == 302 and done["Location"] == f"/projects/{world.project.pk}/"
    dashboard = visitor.get(done["Location"])
    assert dashboard.status_code == 200  # signed in: no second sign-in
    assert dashboard.wsgi_request.user == invitation.user
    nina = get_user_model().objects.get(pk=invitation.user_id)
    assert (nina.first_name, nina.last_name, nina.is_active) == ("Nina", "Owner", True)
    assert Membership.objects.filter(project=world.project, user=nina).exists()
    lead = Client()
    lead.force_login(world.user("lead"))
    members = lead.get(f"/projects/{world.project.pk}/members/").content.decode()
    assert "Nina Owner" in members
    # A fresh sign-in: the two-factor set-up does not ask for the password again.
    assert visitor.get("/accounts/2fa/totp/activate/").status_code == 200


def test_without_a_name_nothing_is_activated(world):
    invitation, link = _join_link(world)
    visitor = Client()

    reply = visitor.post(link, {"answer": "accept", "new_password1": PASSWORD, "new_password2": PASSWORD})

    assert reply.status_code == 422
    assert (
        "Tell the team your name." in reply.content.decode()
        or "This field is required." in reply.content.decode()
    )
    invitation.user.refresh_from_db()
    assert not invitation.user.is_active
    assert visitor.get(f"/projects/{world.project.pk}/").status_code == 302  # still signed out


def test_with_invitations_and_no_project_see_invitations_comes_first(world):
    newcomer = UserFactory(username="olli")
    invitation_create(project=world.project, email=newcomer.email, role="viewer", user=world.user("lead"))
    client = Client()
    client.force_login(newcomer)

    html = client.get("/projects/").content.decode()

    assert 'data-testid="invitations-first"' in html
    assert 'class="btn btn-primary btn-lg" href="/invitations/"' in html
    assert "Create your first project" not in html
    assert 'data-testid="invitations-waiting"' not in html  # not said twice


def test_without_invitations_creating_the_first_project_is_offered(world):
    client = Client()
    client.force_login(UserFactory(username="olli"))
    html = client.get("/projects/").content.decode()
    assert "Create your first project" in html and 'data-testid="invitations-first"' not in html
