"""`Idempotency-Key` on POST: a retry replays the first response instead of acting twice; the same
key with another body is refused (422); a key still running answers 409; keys expire."""

from datetime import timedelta

import time_machine
from django.utils import timezone

from api.models import IdempotencyRecord
from projects.models import Task
from tests.api.conftest import url


def _create(client, world, title="Retried task", key="key-1"):
    phase = world.project.phases.get(key="5")
    return client.post(
        url(world.project, "tasks/"),
        {"phase": phase.pk, "title": title},
        format="json",
        HTTP_IDEMPOTENCY_KEY=key,
    )


def test_a_retry_with_the_same_key_replays_the_first_response(api, world):
    client = api(world.user("lead"))
    first = _create(client, world)
    second = _create(client, world)
    assert first.status_code == second.status_code == 201
    assert second.json() == first.json()
    assert second["Idempotent-Replayed"] == "true"
    assert Task.objects.filter(title="Retried task").count() == 1


def test_the_same_key_with_another_body_is_refused(api, world):
    client = api(world.user("lead"))
    _create(client, world)
    response = _create(client, world, title="Something else")
    assert response.status_code == 422
    assert response["Content-Type"] == "application/problem+json"
    assert "different request" in response.json()["detail"]
    assert not Task.objects.filter(title="Something else").exists()


def test_keys_are_per_user(api, world):
    _create(api(world.user("lead")), world)
    assert _create(api(world.user("contributor")), world).status_code == 201
    assert Task.objects.filter(title="Retried task").count() == 2


def test_without_a_key_every_post_acts(api, world):
    client = api(world.user("lead"))
    phase = world.project.phases.get(key="5")
    for _ in range(2):
        client.post(url(world.project, "tasks/"), {"phase": phase.pk, "title": "Twice"}, format="json")
    assert Task.objects.filter(title="Twice").count() == 2


def test_a_key_still_in_progress_gets_409(api, world):
    client = api(world.user("lead"))
    _create(client, world)
    IdempotencyRecord.objects.update(response_status=None, response_body=None)  # as if still running
    response = _create(client, world)
    assert response.status_code == 409 and "still being processed" in response.json()["detail"]


def test_errors_are_replayed_too_but_not_server_errors(api, world):
    client = api(world.user("lead"))
    first = client.post(
        url(world.project, "tasks/"), {"title": ""}, format="json", HTTP_IDEMPOTENCY_KEY="bad"
    )
    again = client.post(
        url(world.project, "tasks/"), {"title": ""}, format="json", HTTP_IDEMPOTENCY_KEY="bad"
    )
    assert first.status_code == again.status_code == 422
    assert again.json() == first.json() and again["Content-Type"] == "application/problem+json"


def test_an_expired_key_is_forgotten(api, world, settings):
    settings.API_IDEMPOTENCY_TTL_HOURS = 24
    client = api(world.user("lead"), days=365)
    _create(client, world)
    with time_machine.travel(timezone.now() + timedelta(hours=25)):
        response = _create(client, world)
    assert response.status_code == 201 and "Idempotent-Replayed" not in response
    assert Task.objects.filter(title="Retried task").count() == 2


def test_a_malformed_key_is_refused(api, world):
    response = _create(api(world.user("lead")), world, key="x" * 300)
    assert response.status_code == 400
    assert not Task.objects.filter(title="Retried task").exists()


def test_uploads_are_told_apart_by_content(api, world, media):
    from tests.factories import make_document, pdf_upload

    document = make_document(world.project, owner=world.user("lead"))
    client = api(world.user("lead"))
    path = url(world.project, f"documents/{document.pk}/versions/")
    first = client.post(
        path,
        {"change_summary": "v", "file": pdf_upload("a.pdf")},
        format="multipart",
        HTTP_IDEMPOTENCY_KEY="up",
    )
    replay = client.post(
        path,
        {"change_summary": "v", "file": pdf_upload("a.pdf")},
        format="multipart",
        HTTP_IDEMPOTENCY_KEY="up",
    )
    other = client.post(
        path,
        {"change_summary": "v", "file": pdf_upload("a.pdf", content=b"%PDF-1.4\n% another file\n%%EOF\n")},
        format="multipart",
        HTTP_IDEMPOTENCY_KEY="up",
    )
    assert first.status_code == replay.status_code == 201 and replay.json() == first.json()
    assert other.status_code == 422
    assert document.versions.count() == 1


def test_expired_keys_are_purged(api, world):
    from api.tasks import purge_idempotency_keys

    client = api(world.user("lead"), days=365)
    _create(client, world, key="old")
    with time_machine.travel(timezone.now() + timedelta(hours=25)):
        _create(client, world, title="Fresh", key="new")
        assert purge_idempotency_keys() == 1
        assert purge_idempotency_keys() == 0
    assert list(IdempotencyRecord.objects.values_list("key", flat=True)) == ["new"]
