import pytest

from projects.models import Invitation, Membership, Role
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _members_url(world):
    return f"/projects/{world.project.pk}/members/"


def test_lead_invites_an_existing_account_by_email_and_they_join_when_they_accept(world, client):
    newcomer = UserFactory(username="newbie", email="newbie@example.test")
    client.force_login(world.user("lead"))
    response = client.post(_members_url(world), {"identifier": "NEWBIE@example.test", "role": "auditor"})
    assert response.status_code == 302
    assert not Membership.objects.filter(project=world.project, user=newcomer).exists()
    invitation = Invitation.objects.get(project=world.project, user=newcomer)
    client.force_login(newcomer)
    assert client.post(f"/invitations/{invitation.pk}/accept/").status_code == 302
    assert Membership.objects.get(project=world.project, user=newcomer).role == Role.AUDITOR


def test_a_username_and_a_duplicate_member_are_form_errors(world, client):
    client.force_login(world.user("lead"))
    response = client.post(_members_url(world), {"identifier": "nobody", "role": "viewer"})
    assert response.status_code == 422 and "Enter an e-mail address" in response.content.decode()
    response = client.post(_members_url(world), {"identifier": "viewer@example.test", "role": "viewer"})
    assert response.status_code == 422 and "member of the project already" in response.content.decode()


def test_invalid_role_is_refused(world, client):
    client.force_login(world.user("lead"))
    membership = Membership.objects.get(project=world.project, user=world.user("viewer"))
    response = client.post(_members_url(world) + f"{membership.pk}/role/", {"role": "owner"})
    assert response.status_code == 422
    membership.refresh_from_db()
    assert membership.role == Role.VIEWER


def test_the_last_lead_cannot_step_down_or_be_removed(world, client):
    client.force_login(world.user("lead"))
    membership = Membership.objects.get(project=world.project, user=world.user("lead"))
    response = client.post(_members_url(world) + f"{membership.pk}/role/", {"role": "viewer"})
    assert response.status_code == 422 and "at least one lead" in response.content.decode()
    response = client.post(_members_url(world) + f"{membership.pk}/remove/")
    assert response.status_code == 422
    assert Membership.objects.get(pk=membership.pk).role == Role.LEAD


def test_a_removed_member_no_longer_sees_the_project(world, client):
    membership = Membership.objects.get(project=world.project, user=world.user("viewer"))
    client.force_login(world.user("lead"))
    assert client.post(_members_url(world) + f"{membership.pk}/remove/").status_code == 302
    client.force_login(world.user("viewer"))
    assert client.get(f"/projects/{world.project.pk}/").status_code == 404


def test_membership_of_another_project_is_not_found(world, client):
    from tests.factories import make_project

    other = make_project(lead=UserFactory(username="otherlead"), name="Other")
    foreign = Membership.objects.get(project=other)
    client.force_login(world.user("lead"))
    assert client.post(_members_url(world) + f"{foreign.pk}/role/", {"role": "viewer"}).status_code == 404
