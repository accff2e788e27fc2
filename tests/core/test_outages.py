"""One service down does not take the site down (issue 19 §1), in-process: the Redis cache as deployed
pointed at a port where nothing listens, the database connection failing as a stopped server fails.
The fault tests (tests/faults/) do the same with real servers stopped under gunicorn."""

import json
import logging

import psycopg
import pytest
from django.db import IntegrityError, InterfaceError, OperationalError
from django.test import RequestFactory

from kernel import outages, pagecache
from kernel.queueing import QueueUnavailable
from kernel.webhook_delivery import DeliveryStatus
from sms_tracker.settings import redis_cache
from tests.conftest import TEST_CACHE_PREFIX
from tests.factories import make_webhook, make_webhook_delivery
from webhooks.models import WebhookDelivery
from webhooks.services import PING_NOT_QUEUED

DEAD_REDIS = "redis://127.0.0.1:1/0"  # nothing listens on port 1: refused at once


def _database_down() -> OperationalError:
    """What Django raises when the server is stopped: its OperationalError over psycopg's."""
    try:
        try:
            raise psycopg.OperationalError("connection failed: Connection refused")
        except psycopg.OperationalError as cause:
            raise OperationalError(str(cause)) from cause
    except OperationalError as error:
        return error


class _DownConnection:
    def cursor(self):
        raise _database_down()


@pytest.fixture
def redis_down(settings):
    settings.CACHES = {"default": redis_cache(DEAD_REDIS, TEST_CACHE_PREFIX)}
    settings.REDIS_URL = DEAD_REDIS


# --- Redis down -----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_with_the_cache_down_pages_and_the_api_answer_from_postgresql(client, world, redis_down):
    client.force_login(world.user("lead"))
    project = world.project
    for url in ("/projects/", f"/projects/{project.pk}/", f"/projects/{project.pk}/tasks/", "/my-work/"):
        assert client.get(url).status_code == 200, url
        assert client.get(url).status_code == 200, url  # a second time: no cached part to serve
    assert client.get("/api/v1/projects/").status_code == 200  # the throttle counts: a miss


@pytest.mark.django_db
@pytest.mark.parametrize("signed_in", [False, True])
def test_healthz_names_redis_and_the_cache_with_or_without_a_session(client, world, redis_down, signed_in):
    if signed_in:
        client.force_login(world.user("viewer"))
    response = client.get("/healthz/")
    assert response.status_code == 503
    assert response.json() == {
        "status": "unavailable",
        "checks": {"database": "ok", "redis": "unreachable", "cache": "unreachable"},
    }


def test_a_cache_outage_is_logged_as_one_line_now_and_then(caplog):
    log_filter = outages.CacheOutageLogFilter(interval=60)
    logger = logging.getLogger("sms_tracker.cache.test")
    logger.addFilter(log_filter)
    try:
        import redis

        for _ in range(5):
            try:
                raise redis.ConnectionError("Error 111 connecting to 127.0.0.1:1. Connection refused.")
            except redis.ConnectionError:
                with caplog.at_level(logging.WARNING, logger="sms_tracker.cache.test"):
                    logger.exception("Exception ignored")
    finally:
        logger.removeFilter(log_filter)
    (record,) = caplog.records
    assert record.exc_info is None and record.levelname == "WARNING"
    assert record.getMessage() == (
        "Cache unavailable, served without it (ConnectionError: Error 111 connecting to 127.0.0.1:1. "
        "Connection refused.)"
    )


@pytest.mark.django_db
def test_generations_not_written_while_redis_was_down_are_written_when_it_is_back(redis_cache, settings):
    """A part stored before the outage must not be served once Redis is back with its old data."""
    live = settings.CACHES
    name = pagecache.project_namespace(1)
    pagecache.project_changed(1)
    before = pagecache.generations([name])[name]
    assert before

    settings.CACHES = {"default": redis_cache_config_at(DEAD_REDIS)}
    pagecache.project_changed(1)  # a write during the outage
    assert pagecache._unwritten == {name}
    assert pagecache.generations([name]) == {name: None}  # no part served

    settings.CACHES = live  # Redis back, still holding the old generation
    after = pagecache.generations([name])[name]
    assert after and after != before
    assert pagecache._unwritten == set()


def redis_cache_config_at(url):
    return redis_cache(url, TEST_CACHE_PREFIX)


# --- the queue down -------------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True, serialized_rollback=True)  # real commits, as in production
def test_a_webhook_ping_that_cannot_be_queued_says_so_and_is_not_sent_later(client, world, broker_down):
    endpoint = make_webhook(world.project, user=world.user("lead"))
    client.force_login(world.user("lead"))
    response = client.post(f"/projects/{world.project.pk}/webhooks/{endpoint.pk}/ping/")
    assert response.status_code == 503
    assert "Could not queue this, try again in a moment." in response.content.decode()
    delivery = WebhookDelivery.objects.get(endpoint=endpoint)
    assert (delivery.status, delivery.last_error) == (DeliveryStatus.FAILED, PING_NOT_QUEUED)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)  # real commits, as in production
def test_a_redelivery_that_cannot_be_queued_waits_for_the_flush_and_says_so(client, world, broker_down):
    endpoint = make_webhook(world.project, user=world.user("lead"))
    delivery = make_webhook_delivery(endpoint)
    client.force_login(world.user("lead"))
    url = f"/projects/{world.project.pk}/webhooks/{endpoint.pk}/deliveries/{delivery.pk}/redeliver/"
    response = client.post(url)
    assert response.status_code == 503
    assert "sent as soon as the task queue is back" in response.content.decode()
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.PENDING and delivery.attempts == 0


@pytest.mark.parametrize("path", ["/projects/1/reports/new/", "/api/v1/projects/1/tasks/"])
def test_a_queue_outage_no_view_caught_is_a_503(path):
    request = RequestFactory().post(path)
    response = outages.ServiceUnavailableMiddleware(lambda r: None).process_exception(
        request, QueueUnavailable("Error 111 connecting to redis:6379")
    )
    assert response.status_code == 503 and response["Retry-After"]
    if path.startswith("/api/"):
        assert response["Content-Type"] == "application/problem+json"
        assert json.loads(response.content)["detail"] == "Could not queue this, try again in a moment."
    else:
        assert "Could not queue this, try again in a moment." in response.content.decode()


# --- PostgreSQL down ------------------------------------------------------------------------------


def test_the_503_page_needs_no_database_session_or_cache(settings):
    """No django_db mark: any query would fail the test; the cache points nowhere."""
    settings.CACHES = {"default": redis_cache(DEAD_REDIS, TEST_CACHE_PREFIX)}
    request = RequestFactory().get("/projects/")
    response = outages.unavailable(request, "database", _database_down())
    assert response.status_code == 503
    assert "The database cannot be reached just now" in response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("signed_in", [False, True])
def test_with_the_database_down_pages_and_the_api_answer_503(client, world, monkeypatch, signed_in, caplog):
    if signed_in:
        client.force_login(world.user("lead"))
    monkeypatch.setattr(outages, "connection", _DownConnection())
    page = client.get("/projects/")
    assert page.status_code == 503 and "The database cannot be reached" in page.content.decode()
    api = client.get("/api/v1/projects/")
    assert api.status_code == 503 and api["Content-Type"] == "application/problem+json"
    assert api.json()["type"].endswith("database-unavailable")
    lines = [r.getMessage() for r in caplog.records if r.name == "sms_tracker.outages"]
    assert lines == [
        "Database unavailable: answered 503 to GET /projects/ (OperationalError: connection failed: "
        "Connection refused)",
        "Database unavailable: answered 503 to GET /api/v1/projects/ (OperationalError: connection failed: "
        "Connection refused)",
    ]
    assert not any(r.exc_info for r in caplog.records if r.name == "sms_tracker.outages")


@pytest.mark.django_db
@pytest.mark.parametrize("signed_in", [False, True])
def test_healthz_names_the_database_with_or_without_a_session(client, world, monkeypatch, signed_in):
    import kernel.health

    if signed_in:
        client.force_login(world.user("viewer"))
    monkeypatch.setattr(outages, "connection", _DownConnection())
    monkeypatch.setattr(kernel.health, "connection", _DownConnection())
    response = client.get("/healthz/")
    assert response.status_code == 503 and response.json()["checks"]["database"] == "unreachable"


def test_an_outage_met_outside_a_view_is_a_503_through_handler500():
    request = RequestFactory().get("/projects/")
    try:
        raise _database_down()
    except OperationalError:
        response = outages.server_error(request)
    assert response.status_code == 503


@pytest.mark.parametrize(
    ("path", "content_type"),
    [("/projects/", "text/html; charset=utf-8"), ("/api/v1/projects/", "application/problem+json")],
)
def test_any_other_error_is_a_500_in_the_form_the_client_reads(path, content_type):
    request = RequestFactory().get(path)
    try:
        raise RuntimeError("a bug")
    except RuntimeError:
        response = outages.server_error(request)
    assert response.status_code == 500 and response["Content-Type"] == content_type
    if path.startswith("/api/"):
        body = json.loads(response.content)
        assert body["status"] == 500 and body["title"] == "Server error"
        assert "a bug" not in response.content.decode()


@pytest.mark.parametrize(
    ("error", "outage"),
    [
        (_database_down(), True),
        (InterfaceError("connection already closed"), True),
        (IntegrityError("duplicate key"), False),
        (OperationalError("database is locked"), False),  # SQLite, no psycopg cause
    ],
)
def test_only_connection_errors_count_as_an_outage(error, outage):
    assert outages.is_database_outage(error) is outage


def test_a_statement_error_with_a_sqlstate_is_not_an_outage():
    class Deadlock(psycopg.OperationalError):
        sqlstate = "40P01"

    try:
        raise OperationalError("deadlock detected") from Deadlock("deadlock detected")
    except OperationalError as error:
        assert outages.is_database_outage(error) is False
