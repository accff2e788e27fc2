import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


def test_pages_require_sign_in(client):
    response = client.get("/projects/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def test_post_without_csrf_token_is_refused(world):
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.user("lead"))
    response = client.post("/projects/new/", {"name": "x"})
    assert response.status_code == 403


def test_login_and_logout_round_trip(world, client):
    response = client.post("/accounts/login/", {"login": "lead", "password": "pw-for-tests-1"})
    assert response.status_code == 302
    assert client.get("/projects/").status_code == 200
    client.post("/accounts/logout/")
    assert client.get("/projects/").status_code == 302


def test_password_reset_sends_a_link(world, client, mailoutbox):
    world.user("lead").email = "lead@example.test"
    world.user("lead").save()
    response = client.post("/accounts/password/reset/", {"email": "lead@example.test"})
    assert response.status_code == 302
    assert len(mailoutbox) == 1 and "/accounts/password/reset/key/" in mailoutbox[0].body


def test_healthz_answers_without_sign_in(client, settings):
    settings.REDIS_URL = ""
    response = client.get("/healthz/")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "checks": {"database": "ok"}}
