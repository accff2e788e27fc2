"""The lead invites someone without an account: an account, an invitation and one e-mail through the outbox;
they join once they accept."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.http import HttpRequest

from kernel.outbox import outbox_send
from notifications.models import OutboxMessage
from projects.models import Invitation, Membership, Role

pytestmark = pytest.mark.django_db


def _invite(client, world, email, role="contributor"):
    client.force_login(world.user("lead"))
    return client.post(f"/projects/{world.project.pk}/members/", {"identifier": email, "role": role})


def test_inviting_a_new_address_creates_account_invitation_and_outbox_message(world, client, mailoutbox):
    response = _invite(client, world, "Nina.Owner@Example.test", role="auditor")
    assert response.status_code == 302
    invited = get_user_model().objects.get(email="nina.owner@example.test")
    assert invited.username == "nina.owner"
    assert not Membership.objects.filter(project=world.project, user=invited).exists()
    message = OutboxMessage.objects.get(recipient=invited, kind="invitation")
    assert "World project" in message.subject

    outbox_send(message_id=message.pk)
    outbox_send(message_id=message.pk)  # a second send of the same message sends nothing
    assert len(mailoutbox) == 1 and mailoutbox[0].to == ["nina.owner@example.test"]
    # The account waits, inactive and without a password, for the answer (issue 19 §2.9).
    assert not invited.is_active and not invited.has_usable_password()
    link = re.search(r"http://\S+/invitations/\d+/join/\S+/", mailoutbox[0].body).group(0)

    client.logout()
    form_page = client.get(link.split("8000", 1)[-1])
    assert form_page.status_code == 200 and "new_password1" in form_page.context["form"].fields
    password = "a-long-new-pass-42"
    done = client.post(
        link.split("8000", 1)[-1], {
            "answer": "accept",
            "name-first_name": "Nina",
            "name-last_name": "Owner",
            "new_password1": password,
            "new_password2": password,
        },
    )
    assert done.status_code == 302
    assert Membership.objects.get(project=world.project, user=invited).role == Role.AUDITOR
    assert client.login(request=HttpRequest(), username="nina.owner", password="a-long-new-pass-42")
    assert client.get(f"/projects/{world.project.pk}/").status_code == 200
    assert Invitation.objects.get(user=invited).status == "accepted"


def test_a_username_asks_for_an_email_address(world, client):
    response = _invite(client, world, "somebody")
    assert response.status_code == 422
    assert "Enter an e-mail address" in response.content.decode()


def test_a_malformed_address_is_refused_and_nothing_is_created(world, client):
    before = get_user_model().objects.count()
    response = _invite(client, world, "half@")
    assert response.status_code == 422
    assert get_user_model().objects.count() == before
    assert not OutboxMessage.objects.exists()


def test_usernames_of_invited_people_stay_unique(world, client):
    _invite(client, world, "viewer@elsewhere.test")
    assert get_user_model().objects.get(email="viewer@elsewhere.test").username == "viewer2"
