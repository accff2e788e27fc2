import os
import socket
import uuid
from contextlib import contextmanager
from dataclasses import dataclass, replace
from urllib.parse import urlparse

import pytest
from django.db import transaction

from projects.models import Role
from tests.factories import UserFactory, add_member, make_project
from tests.storage.s3server import s3_bucket, s3_server  # noqa: F401  (fixtures for every group)

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # ORM calls inside Playwright tests

ROLES = ("anonymous", "outsider", "viewer", "auditor", "contributor", "lead")
REQUIRE_SERVICES = os.environ.get("SMS_TRACKER_REQUIRE_SERVICES") == "1"


def _restore_into_an_empty_database():
    """A serialized-rollback test (real commits, the migrations' data restored) restores its snapshot
    into an empty database. Django loads the snapshot over whatever is there; a transactional test
    without it that ran before on the same worker leaves content types and permissions re-created
    by post_migrate under new ids, and the snapshot's rows then collide with them on their natural
    keys, an error that came and went with how xdist shared out the tests."""
    from django.contrib.contenttypes.models import ContentType
    from django.core.management import call_command
    from django.db.backends.base.creation import BaseDatabaseCreation

    load_snapshot = BaseDatabaseCreation.deserialize_db_from_string

    def restore(self, data):
        call_command(
            "flush",
            verbosity=0,
            interactive=False,
            database=self.connection.alias,
            reset_sequences=False,
            inhibit_post_migrate=True,
        )
        load_snapshot(self, data)
        ContentType.objects.clear_cache()  # the ids are the snapshot's again

    BaseDatabaseCreation.deserialize_db_from_string = restore


def pytest_configure(config):
    _restore_into_an_empty_database()


@pytest.fixture(scope="session")
def django_db_setup(
    request,
    django_test_environment,
    django_db_blocker,
    django_db_use_migrations,
    django_db_keepdb,
    django_db_createdb,
    django_db_modify_db_settings,
):
    """pytest-django's set-up, except that on PostgreSQL each worker's database is a copy of one
    migrated template (tests/database_template.py) instead of a migration of its own. SQLite,
    --reuse-db and --nomigrations keep pytest-django's own set-up."""
    from django.core.management import call_command
    from django.db import connection
    from django.test.utils import setup_databases, teardown_databases
    from pytest_django.fixtures import _disable_migrations, _get_databases_for_setup

    from tests import database_template

    verbosity = request.config.option.verbose
    aliases, serialized_aliases = _get_databases_for_setup(request.session.items)
    cloned = (
        database_template.usable()
        and django_db_use_migrations
        and (django_db_createdb or not django_db_keepdb)
        and aliases <= {"default"}
    )
    with django_db_blocker.unblock():
        if cloned:
            old_name = database_template.create_worker_database(verbosity)
            if "default" in serialized_aliases:
                connection._test_serialized_contents = connection.creation.serialize_db_to_string()
            call_command("createcachetable", database="default")
            db_cfg = [(connection, old_name, True)]
        else:
            if not django_db_use_migrations:
                _disable_migrations()
            keepdb = {"keepdb": True} if django_db_keepdb and not django_db_createdb else {}
            db_cfg = setup_databases(
                verbosity=verbosity,
                interactive=False,
                aliases=aliases,
                serialized_aliases=serialized_aliases,
                **keepdb,
            )
    yield
    if django_db_keepdb and not django_db_createdb:
        return
    with django_db_blocker.unblock():
        try:
            teardown_databases(db_cfg, verbosity=verbosity)
        except Exception as exc:  # noqa: BLE001 - as pytest-django: a failed drop warns, the run stands
            request.node.warn(pytest.PytestWarning(f"Error when trying to teardown test databases: {exc!r}"))


def service_reachable(url: str, default_port: int) -> bool:
    parsed = urlparse(url)
    try:
        with socket.create_connection(
            (parsed.hostname or "127.0.0.1", parsed.port or default_port), timeout=1
        ):
            return True
    except OSError:
        return False


def service_missing(message: str):
    """Skip locally when a service or tool is missing; under CI (SMS_TRACKER_REQUIRE_SERVICES=1) fail."""
    if REQUIRE_SERVICES:
        pytest.fail(message + " and SMS_TRACKER_REQUIRE_SERVICES=1 demands it")
    pytest.skip(message)


def need_service(name: str, url: str, default_port: int):
    if not service_reachable(url, default_port):
        service_missing(f"{name} is not reachable at {url}")


@dataclass
class World:
    """One project with a member in every role, plus an outsider."""

    project: object
    users: dict
    cache: dict

    def user(self, role):
        return self.users.get(role)

    def obj(self, key, factory):
        """Build an object once per test: cases share what they need without a fixture each."""
        if key not in self.cache:
            self.cache[key] = factory(self)
        return self.cache[key]

    def without_objects(self) -> "World":
        """The same project and users with an empty object cache."""
        return replace(self, cache={})


def build_world() -> World:
    lead = UserFactory(username="lead")
    project = make_project(lead=lead, name="World project")
    users = {"lead": lead, "outsider": UserFactory(username="outsider")}
    for role in (Role.CONTRIBUTOR, Role.AUDITOR, Role.VIEWER):
        users[role] = UserFactory(username=role)
        add_member(project, users[role], role)
    return World(project=project, users=users, cache={})


@pytest.fixture
def world(db):
    return build_world()


@contextmanager
def held_transaction(django_db_blocker):
    """One atomic block held open around a wider scope (a module, a class, one parametrized case).

    What is written in it is seen by every test of that scope; each test runs in a savepoint inside it
    (pytest-django's `db` fixture nests its transaction) and is rolled back to it; the block itself is
    rolled back when the scope ends, so nothing reaches the tests after it. Not for transactional tests.
    """
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
    try:
        yield
    finally:
        with django_db_blocker.unblock():
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


@pytest.fixture(scope="module")
def module_world(django_db_setup, django_db_blocker):
    """The world built once for a whole module, in a transaction rolled back at the module's end."""
    with held_transaction(django_db_blocker):
        with django_db_blocker.unblock():
            world = build_world()
        yield world


@pytest.fixture
def totp_clock():
    """A ticking clock time-machine can move to the next TOTP step (tests/identity/helpers.py), so
    a test waiting for a fresh code does not sleep for it."""
    import time

    import time_machine

    from tests.identity.helpers import TotpClock

    with time_machine.travel(time.time(), tick=True) as traveller:
        yield TotpClock(traveller)


@pytest.fixture
def client_for(client, world):
    def _client(role):
        if role != "anonymous":
            client.force_login(world.user(role))
        return client

    return _client


@pytest.fixture
def media(request, settings, tmp_path):
    """Files the test stores go to a temporary MEDIA_ROOT of its own, not the working tree; in a test
    marked `storages` once there and once in an empty bucket of the moto S3 server (tests/storage)."""
    settings.MEDIA_ROOT = tmp_path / "media"
    if getattr(request, "param", "disk") == "s3":
        server = request.getfixturevalue("s3_server")
        bucket = server.new_bucket()
        settings.STORAGES = {**settings.STORAGES, "default": server.storage_setting(bucket)}
        request.addfinalizer(lambda: server.drop_bucket(bucket))
    return settings.MEDIA_ROOT


def pytest_generate_tests(metafunc):
    """A test marked `storages` that stores files runs on local disk and on S3 (issue 22 §1)."""
    if metafunc.definition.get_closest_marker("storages") and "media" in metafunc.fixturenames:
        metafunc.parametrize("media", ["disk", "s3"], indirect=True, ids=["disk", "s3"])


@pytest.fixture
def broker_down():
    """The web process has a broker configured (not eager), but nothing listens there."""
    from sms_tracker.celery import app

    saved = (app.conf.task_always_eager, app.conf.broker_url)
    app.conf.task_always_eager = False
    app.conf.broker_url = "redis://127.0.0.1:1/0"
    yield
    app.conf.task_always_eager, app.conf.broker_url = saved


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {
        **browser_type_launch_args,
        "executable_path": "/usr/bin/chromium",
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-dev-shm-usage",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
        ],
    }


# Keys this test process may write to a Redis cache: one prefix per run and per xdist worker, so
# parallel workers and runs (and other engineers' runs on the same Redis) never see each other's keys.
TEST_CACHE_PREFIX = f"sms-test:{uuid.uuid4().hex[:10]}:{os.environ.get('PYTEST_XDIST_WORKER', 'main')}"
LOCAL_REDIS = "redis://127.0.0.1:6379/4"


def clear_cache():
    """Empty the cache of this test process: a Redis cache loses only the keys under this process's
    prefix (never FLUSHDB on a database others share), memory is cleared; the page cache's
    per-process parts and owed generations go too."""
    from django.core.cache import cache

    from kernel import pagecache

    if hasattr(cache, "delete_pattern"):
        cache.delete_pattern("*")  # django-redis puts the key prefix in front of the pattern
    else:
        cache.clear()
    pagecache._local.clear()
    pagecache._unwritten.clear()


@pytest.fixture(scope="session", autouse=True)
def _cache_prefix_of_this_run():
    """A run with a Redis cache (CACHE_URL set) writes under this process's own prefix."""
    from django.conf import settings
    from django.test import override_settings

    default = settings.CACHES["default"]
    if not default["BACKEND"].startswith("django_redis."):
        yield
        return
    ours = {**default, "KEY_PREFIX": TEST_CACHE_PREFIX}
    with override_settings(CACHES={**settings.CACHES, "default": ours}):
        yield


@pytest.fixture
def redis_cache(settings):
    """The cache as deployed: django-redis on REDIS_URL, under this process's prefix, emptied
    before and after the test."""
    from django.core.cache import cache

    from sms_tracker.settings import redis_cache as redis_cache_config

    url = os.environ.get("REDIS_URL") or LOCAL_REDIS
    need_service("Redis", url, 6379)
    settings.CACHES = {"default": redis_cache_config(url, TEST_CACHE_PREFIX)}
    clear_cache()
    yield cache
    clear_cache()


@pytest.fixture(params=["memory", "redis"])
def each_cache(request):
    """Runs a test with per-process memory and with the Redis cache production uses."""
    if request.param == "redis":
        request.getfixturevalue("redis_cache")
    return request.param


@pytest.fixture(autouse=True)
def _empty_cache():
    """Every test starts with an empty cache: fragments cached by row id must not outlive the rows."""
    clear_cache()
    yield


@pytest.fixture(autouse=True)
def _english_after_each_test():
    """A request of someone who reads German leaves German active in the test's thread (the locale
    middleware activates, nothing deactivates): the next test starts in the site's language again."""
    yield
    from django.utils import translation

    translation.deactivate()


@pytest.fixture
def progress_refresh_inline(monkeypatch):
    """A test's writes never commit (its transaction is rolled back at the end), so the refresh
    that progress_refresh_on_commit() schedules would never run: run it at once, in-process, as
    the worker would after the commit."""
    from types import SimpleNamespace

    from django.db import transaction

    from projects import progress_refresh

    monkeypatch.setattr(
        progress_refresh,
        "transaction",
        SimpleNamespace(get_connection=transaction.get_connection, on_commit=lambda callback: callback()),
    )
    monkeypatch.setattr(progress_refresh, "enqueue", lambda task, *args: task(*args))


@pytest.fixture(autouse=True)
def no_csp_violations(request):
    """Every browser journey also checks the Content-Security-Policy: the page must not need
    anything the policy refuses (inline scripts, inline styles, eval)."""
    if "page" not in request.fixturenames:
        yield
        return
    page = request.getfixturevalue("page")
    violations = []

    def on_console(message):
        if message.type == "error" and "Content Security Policy" in message.text:
            violations.append(f"{page.url}: {message.text}")

    page.on("console", on_console)
    yield
    assert not violations, "\n".join(violations)
