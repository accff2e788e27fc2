"""PostgreSQL stopped and restarted under a running gunicorn (issue 19 §1).

The database is a throwaway cluster the test starts itself (initdb as the postgres user), holding a
copy of the test database; the shared server is never touched. While it is stopped every page answers
the self-contained 503 page, every /api/ route a problem+json 503 and /healthz/ a JSON 503 naming the
database, with or without a session cookie, each logged as one clear line and no traceback. Started
again (and later restarted while gunicorn holds connections to it) the same processes serve again,
the session made before the outage still signed in: persistent connections are health-checked, the
psycopg pool checks its connections.
"""

import json
import time

import pytest

from api.tokens import token_create
from projects.models import Role
from tests.background.workers import database_url, need_shared_database
from tests.faults.servers import Browser, Gunicorn, Hammer, PostgresCluster, statuses, wait_until

pytestmark = [pytest.mark.faults, pytest.mark.timeout(300, func_only=True)]

PASSWORD = "fault-pass-2018"
MODES = {
    "persistent": {"CONN_MAX_AGE": "300", "CONN_HEALTH_CHECKS": "1"},
    "pool": {
        "DATABASE_POOL": "1",
        "DATABASE_POOL_MIN": "1",
        "DATABASE_POOL_MAX": "4",
        "DATABASE_POOL_TIMEOUT": "2",
    },
}


@pytest.fixture
def cluster(transactional_db, django_db_serialized_rollback, media):
    need_shared_database()
    found = PostgresCluster()
    try:
        found.start()
        yield found
    finally:
        found.remove()


@pytest.mark.parametrize("mode", MODES)
def test_postgresql_down_is_a_503_and_service_resumes_without_a_restart(world, cluster, tmp_path, mode):
    project, lead = world.project, world.user("lead")
    for user in (lead, world.user(Role.VIEWER)):
        user.set_password(PASSWORD)
        user.save()
    token = token_create(user=lead, name="fault test", scope="read", expires_in_days=7).plaintext
    bearer = {"Authorization": f"Bearer {token}"}
    cluster.copy_database(database_url(), "sms_pg_fault")
    web = Gunicorn(
        tmp_path,
        {
            "DATABASE_URL": cluster.url("sms_pg_fault"),
            "REDIS_URL": "",  # eager tasks, memory cache: this test is about the database alone
            "CACHE_URL": "",
            "PAGE_CACHE": "0",
            "WEB_CONCURRENCY": "1",
            "GUNICORN_THREADS": "2",
            **MODES[mode],
        },
    )
    log = []
    browser = Browser(web.base, log)
    p = f"/projects/{project.pk}"
    pages = ["/projects/", f"{p}/", f"{p}/tasks/", f"{p}/roadmap/", "/my-work/"]
    api = [f"/api/v1/projects/{project.pk}/", f"/api/v1/projects/{project.pk}/tasks/"]
    web.start()
    try:
        assert browser.sign_in("lead", PASSWORD)[0] == 302
        for path in pages:
            assert browser.request(path)[0] == 200, path
        for path in api:
            assert browser.request(path, headers=bearer)[0] == 200, path
        assert browser.request("/healthz/")[0] == 200

        # --- stopped in the middle of page loads ---------------------------------------------------
        hammer = Browser(web.base, log, name="hammer")
        assert hammer.sign_in("viewer", PASSWORD)[0] == 302
        hammer.phase = browser.phase = "outage"
        log_before = len(web.log_text())
        with Hammer(hammer, pages):
            time.sleep(0.5)
            cluster.stop("fast")
            for path in pages:
                status, headers, body = browser.request(path)
                assert status == 503, (path, status, body[:300])
                assert b"The database cannot be reached just now" in body and headers["Retry-After"]
            for path in api:
                status, headers, body = browser.request(path, headers=bearer)
                assert status == 503 and headers["Content-Type"] == "application/problem+json", path
                assert json.loads(body)["status"] == 503
            assert browser.request("/accounts/login/")[0] == 503
            for who in (browser, Browser(web.base, log)):  # with and without a session cookie
                status, headers, body = who.request("/healthz/")
                assert status == 503 and headers["Content-Type"] == "application/json"
                assert json.loads(body)["checks"] == {"database": "unreachable"}

            # --- started again: the same gunicorn serves, the session still signs the lead in ------
            browser.phase = hammer.phase = "back"
            cluster.start()
            wait_until(lambda: browser.request("/healthz/")[0] == 200, timeout=30, what="healthz to recover")
            time.sleep(0.5)
        for path in pages:
            assert browser.request(path)[0] == 200, path
        for path in api:
            assert browser.request(path, headers=bearer)[0] == 200, path
        outage_log = web.log_text()[log_before:]

        # --- restarted while gunicorn holds its connections -----------------------------------------
        # Persistent connections are health-checked at the start of each request: no request fails.
        # The psycopg pool discards the dead connections it checks and opens new ones with its own
        # backoff: a few seconds of 503 at most, then service.
        browser.phase = "restart"
        cluster.restart()
        if mode == "pool":
            wait_until(
                lambda: browser.request("/healthz/")[0] == 200, timeout=30, what="the pool to reconnect"
            )
        for path in pages + pages:
            assert browser.request(path)[0] == 200, path
        for path in api:
            assert browser.request(path, headers=bearer)[0] == 200, path
    finally:
        web.stop()

    assert "Database unavailable: answered 503 to GET /projects/ (OperationalError:" in outage_log
    assert "Traceback" not in web.log_text(), web.log_text()[-3000:]
    assert not [entry for entry in log if entry[3] not in (200, 302, 503)], log
    if mode == "persistent":
        assert set(statuses(log, "restart")) == {200}
    during = statuses(log, "outage")
    assert during[503] >= len(pages) + len(api) + 3
    print(
        f"\nPostgreSQL outage ({mode}): {len(log)} requests; while stopped {dict(during)}; "
        f"after the start {dict(statuses(log, 'back'))}; after a restart {dict(statuses(log, 'restart'))}; "
        f"slowest 503 {max(e[4] for e in log if e[3] == 503):.2f} s"
    )
