"""The document page warns before the click when the author of the draft is also its approver (or
nobody approves), and offers a form to name another approver; the change is a versioned edit."""

import pytest

from documents.models import Document
from tests.factories import add_version, make_document

pytestmark = pytest.mark.django_db


@pytest.fixture
def document(world):
    """Owned and approved by the contributor, who also writes the draft: they may not approve it."""
    contributor = world.user("contributor")
    document = make_document(world.project, code="POL-08", owner=contributor, approver=contributor)
    add_version(document, contributor)
    return Document.objects.get(pk=document.pk)


def detail(world, document):
    return f"/projects/{world.project.pk}/documents/{document.pk}/"


def test_the_page_warns_up_front_and_offers_the_change_instead_of_the_submit_button(client, world, document):
    client.force_login(world.user("contributor"))
    body = client.get(detail(world, document)).content.decode()
    assert 'data-testid="approver-warning"' in body
    assert "wrote this version and is also its approver" in body
    assert "for review</button>" not in body
    assert f'action="{detail(world, document)}approver/"' in body
    options = body[body.index('name="approver"') : body.index("</select>", body.index('name="approver"'))]
    assert f'value="{world.user("viewer").pk}"' in options
    assert f'value="{world.user("contributor").pk}"' not in options  # the author is not offered


def test_a_document_without_approver_gets_the_same_offer(client, world):
    contributor = world.user("contributor")
    document = make_document(world.project, code="POL-09", owner=contributor)
    add_version(document, contributor)
    client.force_login(contributor)
    body = client.get(detail(world, document)).content.decode()
    assert "Nobody approves this document yet." in body and "Change approver" in body


def test_changing_the_approver_brings_back_the_submit_button(client, world, document):
    client.force_login(world.user("contributor"))
    reply = client.post(
        detail(world, document) + "approver/",
        {"approver": world.user("viewer").pk, "version": document.version},
    )
    assert reply.status_code == 302
    document.refresh_from_db()
    assert document.approver == world.user("viewer")
    body = client.get(detail(world, document)).content.decode()
    assert "approver-warning" not in body
    assert "Ask viewer for review</button>" in body


def test_the_author_cannot_be_named_approver_of_their_draft(client, world, document):
    client.force_login(world.user("contributor"))
    reply = client.post(
        detail(world, document) + "approver/",
        {"approver": world.user("contributor").pk, "version": document.version},
    )
    assert reply.status_code == 422
    assert "Choose a member as approver." in reply.content.decode()
    document.refresh_from_db()
    assert document.approver == world.user("contributor")


def test_an_outsider_cannot_be_named(client, world, document):
    client.force_login(world.user("contributor"))
    reply = client.post(
        detail(world, document) + "approver/",
        {"approver": world.user("outsider").pk, "version": document.version},
    )
    assert reply.status_code == 422


def test_a_stale_form_is_refused_with_409_and_nothing_changes(client, world, document):
    client.force_login(world.user("contributor"))
    stale = document.version
    Document.objects.filter(pk=document.pk).update(version=stale + 1)
    reply = client.post(
        detail(world, document) + "approver/", {"approver": world.user("viewer").pk, "version": stale}
    )
    assert reply.status_code == 409
    assert "Someone else changed this document" in reply.content.decode()
    document.refresh_from_db()
    assert document.approver == world.user("contributor")
