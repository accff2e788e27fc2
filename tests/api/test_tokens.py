"""Personal access tokens: made on the account page, shown once, stored hashed, revocable, with an
expiry, a throttled last-used time, and a scope (read / read and write, one project or all)."""

import hashlib
from datetime import timedelta

import time_machine
from django.utils import timezone

from api.models import AccessToken
from tests.api.conftest import url
from tests.factories import UserFactory, make_project, make_task


def test_token_created_on_the_account_page_is_shown_once_and_stored_hashed(client, world):
    client.force_login(world.user("contributor"))
    response = client.post(
        "/account/tokens/",
        {"name": "Export script", "scope": "read", "project": world.project.pk, "expires_in_days": "30"},
    )
    assert response.status_code == 200
    plaintext = response.context["created"].plaintext
    assert plaintext.startswith("smst_") and plaintext in response.content.decode()
    assert response["Cache-Control"].startswith("max-age=0") or "no-cache" in response["Cache-Control"]
    token = AccessToken.objects.get(user=world.user("contributor"))
    secret = plaintext.split("_", 2)[2]
    assert token.secret_hash == hashlib.sha256(secret.encode()).hexdigest()
    assert secret not in str(list(AccessToken.objects.values_list()))
    assert token.project == world.project and token.scope == "read"
    assert timedelta(days=29) < token.expires_at - timezone.now() <= timedelta(days=30)
    page = client.get("/account/tokens/").content.decode()
    assert plaintext not in page and f"smst_{token.prefix}_" in page and "Never" in page


def test_token_for_a_project_of_someone_else_is_refused(client, world):
    other = make_project(lead=UserFactory(), name="Not mine")
    client.force_login(world.user("viewer"))
    response = client.post(
        "/account/tokens/", {"name": "x", "scope": "read", "project": other.pk, "expires_in_days": "30"}
    )
    assert response.status_code == 422
    assert not AccessToken.objects.exists()


def test_bearer_token_reads_as_its_user(api, world):
    response = api(world.user("viewer"), scope="read").get("/api/v1/projects/")
    assert response.status_code == 200
    assert [p["id"] for p in response.json()["results"]] == [world.project.pk]
    assert response.json()["results"][0]["my_role"] == "viewer"


def test_no_or_bad_credentials_get_401_with_a_bearer_challenge(api, world, token_for):
    anonymous = api().get(url(world.project))
    assert anonymous.status_code == 401 and anonymous["WWW-Authenticate"] == "Bearer"
    client = api()
    plaintext = token_for(world.user("lead"))
    for bad in ("smst_nope", plaintext[:-2] + "xx", "smst_" + "a" * 12 + "_secret", "é"):
        client.credentials(HTTP_AUTHORIZATION=f"Bearer {bad}")
        assert client.get(url(world.project)).status_code == 401, bad


def test_revoked_token_stops_working(api, client, world, token_for):
    plaintext = token_for(world.user("lead"))
    token = AccessToken.objects.get()
    client.force_login(world.user("lead"))
    assert client.post(f"/account/tokens/{token.pk}/revoke/").status_code == 302
    response = client.get(url(world.project), HTTP_AUTHORIZATION=f"Bearer {plaintext}")
    assert response.status_code == 401
    assert "revoked" in response.json()["detail"]
    assert "Revoked" in client.get("/account/tokens/").content.decode()


def test_someone_elses_token_cannot_be_revoked(client, world, token_for):
    token_for(world.user("lead"))
    token = AccessToken.objects.get()
    client.force_login(world.user("contributor"))
    assert client.post(f"/account/tokens/{token.pk}/revoke/").status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None


def test_expired_token_stops_working(api, world):
    client = api(world.user("lead"), days=7)
    assert client.get(url(world.project)).status_code == 200
    with time_machine.travel(timezone.now() + timedelta(days=7, minutes=1)):
        response = client.get(url(world.project))
    assert response.status_code == 401 and "expired" in response.json()["detail"]


def test_last_use_is_recorded_at_most_once_a_minute(api, world, django_assert_num_queries):
    client = api(world.user("lead"))
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        client.get(url(world.project))
        first = AccessToken.objects.get().last_used_at
        assert first == start
    with time_machine.travel(start + timedelta(seconds=30), tick=False):
        client.get(url(world.project))
    assert AccessToken.objects.get().last_used_at == first  # no write inside the minute
    with time_machine.travel(start + timedelta(seconds=61), tick=False):
        client.get(url(world.project))
    assert AccessToken.objects.get().last_used_at == start + timedelta(seconds=61)


def test_read_token_may_not_write(api, world):
    task = make_task(world.project, assignee=world.user("lead"))
    client = api(world.user("lead"), scope="read")
    assert client.get(url(world.project, f"tasks/{task.pk}/")).status_code == 200
    response = client.post(url(world.project, f"tasks/{task.pk}/complete/"), {}, format="json")
    assert response.status_code == 403 and "only read" in response.json()["detail"]
    task.refresh_from_db()
    assert task.status == "open"


def test_token_scoped_to_one_project_gets_404_on_another(api, world):
    other = make_project(lead=world.user("lead"), name="Second project")
    other_task = make_task(other, assignee=world.user("lead"))
    client = api(world.user("lead"), project=world.project)
    assert client.get(url(world.project)).status_code == 200
    assert client.get(url(other)).status_code == 404
    assert client.get(url(other, "tasks/")).status_code == 404
    assert client.post(url(other, f"tasks/{other_task.pk}/complete/"), {}, format="json").status_code == 404
    listed = client.get("/api/v1/projects/").json()["results"]
    assert [p["id"] for p in listed] == [world.project.pk]
    # an unscoped token of the same user sees both
    assert api(world.user("lead")).get(url(other)).status_code == 200


def test_token_of_a_removed_member_gets_404(api, world):
    client = api(world.user("viewer"), project=world.project)
    world.project.memberships.filter(user=world.user("viewer")).delete()
    assert client.get(url(world.project)).status_code == 404


def test_session_writes_keep_the_csrf_check(world):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(world.user("lead"))
    task = make_task(world.project, assignee=world.user("lead"))
    response = client.post(url(world.project, f"tasks/{task.pk}/complete/"), {})
    assert response.status_code == 403 and "CSRF" in response.json()["detail"]
    client.get("/account/tokens/")  # sets the CSRF cookie
    token = client.cookies["csrftoken"].value
    response = client.post(url(world.project, f"tasks/{task.pk}/complete/"), {}, HTTP_X_CSRFTOKEN=token)
    assert response.status_code == 200
