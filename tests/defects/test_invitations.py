"""Issue 9 §2.8, §2.10 and §2.12: adding someone is an invitation they answer; the members form
reveals no accounts; two invites of one address give one invitation; an invitation subject is
one line and a failed send shows on the members page."""

import threading

import pytest
from django.contrib.auth import get_user_model
from django.db import connection, connections

from kernel.outbox import OutboxStatus, outbox_send
from notifications.models import OutboxMessage
from projects.invitations import invitation_create
from projects.models import Invitation, InvitationStatus, Membership
from tests.conftest import service_missing
from tests.factories import UserFactory, make_project

User = get_user_model()


def members_url(project):
    return f"/projects/{project.pk}/members/"


@pytest.mark.django_db
def test_an_existing_account_is_invited_not_added_and_can_decline(world, client, mailoutbox):
    stranger = UserFactory(username="stranger", email="stranger@example.test")
    client.force_login(world.user("lead"))
    assert (
        client.post(
            members_url(world.project), {"identifier": "stranger@example.test", "role": "lead"}
        ).status_code
        == 302
    )
    assert not Membership.objects.filter(project=world.project, user=stranger).exists()
    message = OutboxMessage.objects.get(recipient=stranger)
    outbox_send(message_id=message.pk)
    assert "/invitations/" in mailoutbox[0].body and "only if you accept" in mailoutbox[0].body

    client.force_login(stranger)
    assert client.get(f"/projects/{world.project.pk}/").status_code == 404
    page = client.get("/invitations/").content.decode()
    assert "World project" in page and "lead" in page
    invitation = Invitation.objects.get(user=stranger)
    assert client.post(f"/invitations/{invitation.pk}/decline/").status_code == 302
    invitation.refresh_from_db()
    assert invitation.status == InvitationStatus.DECLINED
    assert client.post(f"/invitations/{invitation.pk}/accept/").status_code == 404  # answered already
    assert not Membership.objects.filter(project=world.project, user=stranger).exists()


@pytest.mark.django_db
def test_someone_else_cannot_accept_an_invitation(world, client):
    UserFactory(username="stranger", email="stranger@example.test")
    invitation = invitation_create(
        project=world.project, email="stranger@example.test", role="lead", user=world.user("lead")
    )
    client.force_login(world.user("viewer"))
    assert client.post(f"/invitations/{invitation.pk}/accept/").status_code == 404
    assert Membership.objects.get(project=world.project, user=world.user("viewer")).role == "viewer"


@pytest.mark.django_db
def test_the_members_form_answers_alike_for_known_and_unknown_addresses(world, client):
    UserFactory(username="known", email="known@example.test")
    client.force_login(world.user("lead"))

    def answer(identifier):
        reply = client.post(
            members_url(world.project), {"identifier": identifier, "role": "viewer"}, follow=True
        )
        text = "".join(str(m) for m in reply.context["messages"])
        return reply.status_code, text.replace(identifier, "ADDRESS")

    assert answer("known@example.test") == answer("unknown@example.test")
    # usernames are not looked up at all: the same message for an existing and a missing one
    for username in ("known", "nobody-at-all"):
        reply = client.post(members_url(world.project), {"identifier": username, "role": "viewer"})
        assert reply.status_code == 422
        assert "Enter an e-mail address" in reply.content.decode()
        assert "No active account" not in reply.content.decode()


@pytest.mark.django_db
def test_a_second_invite_of_the_same_address_returns_the_first(world, client):
    client.force_login(world.user("lead"))
    for _ in range(2):
        assert (
            client.post(
                members_url(world.project), {"identifier": "twice@example.test", "role": "viewer"}
            ).status_code
            == 302
        )
    assert Invitation.objects.filter(email="twice@example.test").count() == 1
    assert User.objects.filter(email="twice@example.test").count() == 1
    assert OutboxMessage.objects.filter(to_email="twice@example.test").count() == 1


@pytest.mark.django_db(transaction=True, serialized_rollback=True)  # real commits from two threads
def test_two_concurrent_invites_of_one_new_address_give_one_account_and_one_invitation(world):
    if connection.vendor != "postgresql":
        service_missing("the advisory lock needs PostgreSQL (DATABASE_URL)")
    other = make_project(lead=UserFactory(username="other-lead"), name="Other")
    barrier = threading.Barrier(2)
    outcomes = []

    def invite(project, lead):
        try:
            barrier.wait(timeout=10)
            outcomes.append(
                invitation_create(project=project, email="race@example.test", role="viewer", user=lead).pk
            )
        except Exception as error:  # noqa: BLE001 - the test reports any failure of either thread
            outcomes.append(error)
        finally:
            connections.close_all()

    for projects in ((world.project, world.project), (world.project, other)):
        barrier.reset()
        outcomes.clear()
        leads = [
            world.user("lead") if p == world.project else User.objects.get(username="other-lead")
            for p in projects
        ]
        threads = [
            threading.Thread(target=invite, args=(p, lead)) for p, lead in zip(projects, leads, strict=True)
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=30)
        assert all(isinstance(o, int) for o in outcomes), outcomes
    assert User.objects.filter(email="race@example.test").count() == 1
    assert Invitation.objects.filter(email="race@example.test", project=world.project).count() == 1
    assert Invitation.objects.filter(email="race@example.test", project=other).count() == 1


@pytest.mark.django_db
def test_a_project_name_with_line_breaks_gives_a_one_line_subject_that_is_sent(world, client, mailoutbox):
    project = make_project(lead=world.user("lead"), name="Evil\r\nBcc: victim@example.test\nname")
    invitation = invitation_create(
        project=project, email="new@example.test", role="viewer", user=world.user("lead")
    )
    message = OutboxMessage.objects.get(subject_type="invitation", subject_id=invitation.pk)
    assert "\n" not in message.subject and "\r" not in message.subject
    assert outbox_send(message_id=message.pk) == "sent"
    assert len(mailoutbox) == 1 and "Evil Bcc: victim@example.test name" in mailoutbox[0].subject
    assert mailoutbox[0].to == ["new@example.test"] and not mailoutbox[0].bcc


@pytest.mark.django_db
def test_a_message_that_cannot_be_sent_is_failed_and_shown_to_the_lead(world, client, mailoutbox):
    invitation = invitation_create(
        project=world.project, email="new@example.test", role="viewer", user=world.user("lead")
    )
    message = OutboxMessage.objects.get(subject_type="invitation", subject_id=invitation.pk)
    OutboxMessage.objects.filter(pk=message.pk).update(
        subject="Broken\nsubject"
    )  # recorded by an older release
    assert outbox_send(message_id=message.pk) == "failed"
    message.refresh_from_db()
    assert message.status == OutboxStatus.FAILED and "BadHeaderError" in message.last_error
    client.force_login(world.user("lead"))
    page = client.get(members_url(world.project)).content.decode()
    assert "new@example.test" in page and "Not sent" in page and "BadHeaderError" in page
    client.force_login(world.user("viewer"))
    assert "new@example.test" not in client.get(members_url(world.project)).content.decode()
