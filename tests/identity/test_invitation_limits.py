"""Issue 19 §2.9: invitations are limited per inviter (counted in PostgreSQL), and an account made
by an invitation stays inactive, without a password, until the person accepts."""

import re
from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.db.models import F
from django.test import Client

from identity.models import ThrottleEvent
from kernel.outbox import outbox_send
from notifications.models import OutboxMessage
from projects.invitations import SCOPE as INVITATION
from projects.invitations import invitation_create
from projects.models import Invitation, InvitationStatus, Membership, Role
from tests.factories import make_project

pytestmark = pytest.mark.django_db
User = get_user_model()


def _invite(client, project, email, role="contributor"):
    return client.post(f"/projects/{project.pk}/members/", {"identifier": email, "role": role})


@pytest.fixture
def lead_client(world, client):
    client.force_login(world.user("lead"))
    return client


def test_past_the_hourly_limit_nothing_is_created_and_the_lead_is_told(world, lead_client, settings):
    settings.INVITATIONS_PER_HOUR = 3
    statuses = [_invite(lead_client, world.project, f"p{n}@example.test").status_code for n in range(3)]
    assert statuses == [302, 302, 302]
    users, mails = User.objects.count(), OutboxMessage.objects.count()

    response = _invite(lead_client, world.project, "p3@example.test")

    assert response.status_code == 429
    body = response.content.decode()
    assert "You sent 3 invitations within the hour" in body and "try again in 60 minutes" in body
    assert not User.objects.filter(email="p3@example.test").exists()
    assert (User.objects.count(), OutboxMessage.objects.count()) == (users, mails)
    assert Invitation.objects.count() == 3


def test_the_limit_is_per_inviter_across_projects_and_withdrawing_gives_nothing_back(world, settings):
    settings.INVITATIONS_PER_HOUR = 2
    lead = world.user("lead")
    other = make_project(lead=lead, name="Second project")
    first = invitation_create(project=world.project, email="a@example.test", role=Role.VIEWER, user=lead)
    invitation_create(project=other, email="b@example.test", role=Role.VIEWER, user=lead)
    first.delete()  # withdrawn
    with pytest.raises(Exception, match="within the hour"):
        invitation_create(project=other, email="c@example.test", role=Role.VIEWER, user=lead)
    # Another lead has a budget of their own.
    other_lead = world.user("contributor")
    third = make_project(lead=other_lead, name="Third project")
    invitation_create(project=third, email="c@example.test", role=Role.VIEWER, user=other_lead)
    assert ThrottleEvent.objects.filter(scope=INVITATION, user=lead).count() == 2


def test_inviting_again_a_pending_address_is_not_counted(world, lead_client, settings):
    settings.INVITATIONS_PER_HOUR = 1
    assert _invite(lead_client, world.project, "same@example.test").status_code == 302
    assert _invite(lead_client, world.project, "same@example.test").status_code == 302  # double-click
    assert Invitation.objects.filter(email="same@example.test").count() == 1


def test_an_hour_later_the_lead_may_invite_again(world, lead_client, settings):
    settings.INVITATIONS_PER_HOUR = 1
    _invite(lead_client, world.project, "one@example.test")
    assert _invite(lead_client, world.project, "two@example.test").status_code == 429
    ThrottleEvent.objects.update(created_at=F("created_at") - timedelta(hours=1, seconds=1))
    assert _invite(lead_client, world.project, "two@example.test").status_code == 302


def test_thirty_invitations_in_a_row_make_twenty(world, lead_client, settings):
    """The report's case: 30 invitations in 33 s made 30 accounts and 30 e-mails."""
    statuses = [_invite(lead_client, world.project, f"bulk{n}@example.test").status_code for n in range(30)]
    assert statuses.count(302) == settings.INVITATIONS_PER_HOUR == 20
    assert statuses[20:] == [429] * 10
    assert User.objects.filter(email__startswith="bulk").count() == 20
    assert OutboxMessage.objects.filter(kind="invitation").count() == 20


def _join_link(mailoutbox):
    link = re.search(r"http://\S+/invitations/\d+/join/\S+/", mailoutbox[-1].body).group(0)
    return "/" + link.split("/", 3)[3]


def test_a_new_account_cannot_sign_in_until_it_accepts(world, lead_client, mailoutbox):
    assert _invite(lead_client, world.project, "Nina.Owner@Example.test", role="auditor").status_code == 302
    nina = User.objects.get(email="nina.owner@example.test")
    assert not nina.is_active and not nina.has_usable_password()
    message = OutboxMessage.objects.get(recipient=nina, kind="invitation")
    outbox_send(message_id=message.pk)
    outbox_send(message_id=message.pk)
    assert len(mailoutbox) == 1 and mailoutbox[0].to == ["nina.owner@example.test"]
    link = _join_link(mailoutbox)

    visitor = Client()
    # The password-reset way round does not open the account either.
    visitor.post("/accounts/password/reset/", {"email": "nina.owner@example.test"})
    nina.refresh_from_db()
    assert not nina.is_active
    assert not any("/password/reset/key/" in mail.body for mail in mailoutbox)  # no link for it
    assert visitor.post("/accounts/login/", {"login": "nina.owner", "password": ""}).status_code == 200

    page = visitor.get(link)
    assert page.status_code == 200 and "World project" in page.content.decode()
    short = visitor.post(link, {"answer": "accept", "new_password1": "x", "new_password2": "x"})
    assert short.status_code == 422
    nina.refresh_from_db()
    assert not nina.is_active

    password = "a-long-new-pass-42"
    answer = {"answer": "accept", "name-first_name": "Nina"}
    answer.update(new_password1=password, new_password2=password)
    done = visitor.post(link, answer)
    # Signed in right away, on the project (issue 25 §2.8).
    assert done.status_code == 302 and done["Location"] == f"/projects/{world.project.pk}/"
    nina.refresh_from_db()
    assert nina.is_active and nina.check_password(password)
    assert Membership.objects.get(project=world.project, user=nina).role == Role.AUDITOR
    assert Invitation.objects.get(user=nina).status == InvitationStatus.ACCEPTED

    assert visitor.get(f"/projects/{world.project.pk}/").status_code == 200
    visitor.logout()
    signed_in = visitor.post("/accounts/login/", {"login": "nina.owner", "password": password})
    assert signed_in.status_code == 302
    assert Client().get(link).status_code == 404  # the link worked once


def test_declining_through_the_link_keeps_the_account_inactive(world, lead_client, mailoutbox):
    _invite(lead_client, world.project, "dora@example.test")
    outbox_send(message_id=OutboxMessage.objects.get(kind="invitation").pk)
    response = Client().post(_join_link(mailoutbox), {"answer": "decline"})
    assert response.status_code == 302
    dora = User.objects.get(email="dora@example.test")
    assert not dora.is_active and not dora.has_usable_password()
    assert Invitation.objects.get(user=dora).status == InvitationStatus.DECLINED
    assert not Membership.objects.filter(user=dora).exists()


def test_a_forged_or_foreign_token_is_404(world, lead_client, mailoutbox):
    _invite(lead_client, world.project, "eve@example.test")
    invitation = Invitation.objects.get(email="eve@example.test")
    assert Client().get(f"/invitations/{invitation.pk}/join/abc-123/").status_code == 404
    assert (
        Client().post(f"/invitations/{invitation.pk}/join/abc-123/", {"answer": "accept"}).status_code == 404
    )
    assert not User.objects.get(email="eve@example.test").is_active


def test_a_second_invitation_before_accepting_sends_a_join_link_again(world, lead_client, mailoutbox):
    other = make_project(lead=world.user("lead"), name="Second project")
    _invite(lead_client, world.project, "finn@example.test")
    _invite(lead_client, other, "finn@example.test")
    messages = OutboxMessage.objects.filter(kind="invitation").order_by("pk")
    assert messages.count() == 2
    for message in messages:
        outbox_send(message_id=message.pk)
    assert len(mailoutbox) == 2 and all("/join/" in mail.body for mail in mailoutbox)
    assert User.objects.filter(email="finn@example.test").count() == 1


def test_an_existing_account_is_invited_as_before(world, lead_client, mailoutbox):
    _invite(lead_client, world.project, world.user("outsider").email)
    outbox_send(message_id=OutboxMessage.objects.get(kind="invitation").pk)
    assert "/join/" not in mailoutbox[0].body and "/invitations/" in mailoutbox[0].body
    assert User.objects.get(pk=world.user("outsider").pk).is_active


def test_with_the_provider_only_the_link_accepts_without_a_password(world, lead_client, mailoutbox, settings):
    settings.LOCAL_LOGIN_ENABLED = False
    _invite(lead_client, world.project, "gus@example.test")
    outbox_send(message_id=OutboxMessage.objects.get(kind="invitation").pk)
    link = _join_link(mailoutbox)
    page = Client().get(link).content.decode()
    assert "new_password1" not in page
    assert Client().post(link, {"answer": "accept"}).status_code == 302
    gus = User.objects.get(email="gus@example.test")
    assert gus.is_active and not gus.has_usable_password()
    assert Membership.objects.filter(user=gus, project=world.project).exists()
