"""Redis stopped in the middle of requests and brought back (issue 19 §1).

gunicorn as production runs it and a real Celery worker, both on a redis-server of the test's own
(cache and broker, as deployed). While Redis is down: pages, sign-in and the API answer from
PostgreSQL alone (never a 500), the sign-in lockout still holds, sessions survive, and what needs the
queue answers "Could not queue this, try again in a moment" (503). Rows written meanwhile (an
invitation e-mail, a webhook delivery) and a report whose queue message died with Redis go out once
Redis is back, through the periodic sweeps, exactly once.
"""

import os
import signal
import time

import pytest

from api.tokens import token_create
from kernel import outbox, webhooks
from kernel.queueing import enqueue
from kernel.webhook_delivery import DeliveryStatus
from notifications.models import OutboxMessage
from projects.models import Role, Task
from reports.models import Report, ReportStatus
from reports.services import QUEUE_ERROR
from reports.tasks import recover_stale_reports
from sms_tracker.celery import app
from tests.background import workers as worker_module
from tests.background.workers import Workers, need_shared_database, wait_for
from tests.factories import UserFactory, add_member, make_assessment, make_task, make_webhook
from tests.faults.servers import Browser, Gunicorn, Hammer, RedisServer, statuses, wait_until
from tests.webhooks.receiver import Receiver
from webhooks.models import WebhookDelivery

pytestmark = [pytest.mark.faults, pytest.mark.timeout(420, func_only=True)]

PASSWORD = "fault-pass-2018"


@pytest.fixture
def stack(transactional_db, django_db_serialized_rollback, media, tmp_path, monkeypatch, settings):
    need_shared_database()
    settings.WEBHOOK_ALLOW_PRIVATE_ADDRESSES = True  # the receiver is on 127.0.0.1
    redis = RedisServer(tmp_path)
    redis.start()
    prefix = f"faults-{os.getpid()}-{time.monotonic_ns()}"
    env = {
        "REDIS_URL": redis.url(0),
        "CACHE_URL": redis.url(0),
        "CACHE_KEY_PREFIX": prefix,
        "PAGE_CACHE": "1",
        "WEBHOOK_ALLOW_PRIVATE_ADDRESSES": "1",
        "REPORT_QUEUED_STALE_AFTER_SECONDS": "2",
        "AXES_FAILURE_LIMIT": "3",
    }
    for name, value in env.items():  # the worker takes os.environ (tests/background/workers.py)
        monkeypatch.setenv(name, value)
    monkeypatch.setattr(worker_module, "broker_url", lambda: redis.url(0))
    pool = Workers(tmp_path)
    names = ("task_always_eager", "broker_url", "task_default_queue", "queue_prefix")
    saved = {name: app.conf[name] for name in names}
    app.conf.task_always_eager, app.conf.broker_url = False, redis.url(0)
    app.conf.task_default_queue, app.conf.queue_prefix = pool.queue, pool.queue_prefix
    web = Gunicorn(
        tmp_path,
        {
            **env,
            "DATABASE_URL": worker_module.database_url(),
            "CELERY_QUEUE": pool.queue,
            "CELERY_QUEUE_PREFIX": pool.queue_prefix,
        },
    )
    receiver = Receiver()
    try:
        web.start()
        pool.start("worker")
        yield redis, web, pool, receiver
    finally:
        receiver.stop()
        web.stop()
        pool.stop_all()
        redis.stop()
        for name, value in saved.items():
            app.conf[name] = value


def test_redis_down_the_site_works_on_postgresql_and_queued_rows_go_out_once_when_it_is_back(world, stack):
    redis, web, pool, receiver = stack
    project, lead = world.project, world.user("lead")
    for user in (lead, world.user(Role.VIEWER)):
        user.set_password(PASSWORD)
        user.save()
    locked = UserFactory(username="locked-out")
    locked.set_password(PASSWORD)
    locked.save()
    add_member(project, locked, Role.VIEWER)
    endpoint = make_webhook(project, user=lead, url=receiver.url, events=["task.done"])
    task = make_task(project, title="Agree the service catalogue")
    assessment = make_assessment(project, user=lead, clause_numbers=["4"])
    token = token_create(user=lead, name="fault test", scope="write", expires_in_days=7).plaintext
    bearer = {"Authorization": f"Bearer {token}"}
    log = []
    browser = Browser(web.base, log)
    p = f"/projects/{project.pk}"
    pages = ["/projects/", f"{p}/", f"{p}/tasks/", f"{p}/roadmap/", f"{p}/reports/", "/my-work/"]

    # --- Redis up: sign in, pages (twice: the second from the page cache), the API, a report --------
    assert browser.sign_in("lead", PASSWORD)[0] == 302 and browser.cookie("sessionid")
    for path in pages * 2:
        assert browser.request(path)[0] == 200, path
    assert browser.request("/api/v1/projects/", headers=bearer)[0] == 200
    assert browser.request(f"{p}/reports/new/", {"report": "management"})[0] == 302
    wait_for(
        lambda: Report.objects.filter(status=ReportStatus.DONE).count() == 1,
        timeout=120,
        workers=pool,
        what="a report",
    )
    assert browser.request("/healthz/")[0] == 200

    # A report asked for while the worker is busy (stopped here): its message waits in Redis...
    worker = pool.processes[0]
    os.killpg(worker.pid, signal.SIGSTOP)
    browser.phase = "before"
    assert browser.request(f"{p}/reports/new/", {"report": "management"})[0] == 302

    # --- Redis stopped in the middle of page loads -------------------------------------------------
    hammer_browser = Browser(web.base, log, name="hammer")
    assert hammer_browser.sign_in("viewer", PASSWORD)[0] == 302
    hammer_browser.phase = browser.phase = "outage"
    with Hammer(hammer_browser, pages):
        time.sleep(1)
        redis.stop()  # ... and is lost with it
        os.killpg(worker.pid, signal.SIGCONT)
        outage_started = time.monotonic()
        # Pages and the API on PostgreSQL alone; the session (in PostgreSQL) still signs the lead in.
        for path in pages:
            status, _, body = browser.request(path)
            assert status == 200, (path, status, body[:300])
        assert browser.request("/api/v1/projects/", headers=bearer)[0] == 200
        # Signing in works (a new session, in PostgreSQL).
        newcomer = Browser(web.base, log, name="newcomer")
        newcomer.phase = "outage"
        assert newcomer.sign_in("viewer", PASSWORD)[0] == 302
        assert newcomer.request("/projects/")[0] == 200
        # The lockout holds without Redis (django-axes counts in PostgreSQL): it does not fail open.
        intruder = Browser(web.base, log, name="intruder")
        intruder.phase = "outage"
        for _ in range(3):
            intruder.sign_in("locked-out", "wrong-password")
        assert intruder.sign_in("locked-out", PASSWORD)[0] == 429
        # Writes that send something later: the rows wait in PostgreSQL.
        invite = browser.request(
            f"{p}/members/", {"identifier": "new.person@example.test", "role": "contributor"}
        )
        assert invite[0] == 302, invite[2][:500]
        done = browser.request(
            f"/api/v1/projects/{project.pk}/tasks/{task.pk}/complete/",
            json_body={"done": True},
            headers=bearer,
        )
        assert done[0] == 200, done[2][:500]
        # What needs the queue says so, with a 503 and nothing half-done.
        status, _, body = browser.request(f"{p}/reports/new/", {"report": f"gap:{assessment.pk}"})
        assert status == 503 and QUEUE_ERROR in body.decode()
        status, _, body = browser.request(f"{p}/webhooks/{endpoint.pk}/ping/", {})
        assert status == 503 and "Could not queue this, try again in a moment." in body.decode()
        # The health check names what is down, with and without a session cookie.
        for who in (browser, Browser(web.base, log)):
            status, _, body = who.request("/healthz/")
            assert status == 503 and b'"redis": "unreachable"' in body and b'"cache": "unreachable"' in body
            assert b'"database": "ok"' in body
        time.sleep(max(0, 3 - (time.monotonic() - outage_started)))
        browser.phase = hammer_browser.phase = "back"
        redis.start()
        time.sleep(1)

    # --- Redis back: the same processes, no restart ----------------------------------------------
    wait_until(lambda: browser.request("/healthz/")[0] == 200, timeout=30, what="healthz to recover")
    for path in pages:
        assert browser.request(path)[0] == 200, path
    assert OutboxMessage.objects.filter(sent_at__isnull=True).count() == 1
    delivery = WebhookDelivery.objects.get(endpoint=endpoint, event__name="task.done")
    assert delivery.status == DeliveryStatus.PENDING
    lost = Report.objects.filter(status=ReportStatus.QUEUED).get()  # its message died with Redis

    # The periodic sweeps (beat runs them; here they are queued by hand), twice: nothing goes twice.
    time.sleep(2.5)  # REPORT_QUEUED_STALE_AFTER_SECONDS
    for _ in range(2):
        for sweep in (outbox.outbox_flush, webhooks.webhooks_flush, recover_stale_reports):
            wait_until(lambda sweep=sweep: _queued(sweep), timeout=30, what=f"{sweep.name} queued")
        time.sleep(3)
    wait_for(
        lambda: OutboxMessage.objects.filter(sent_at__isnull=True).count() == 0,
        timeout=90,
        workers=pool,
        what="the invitation e-mail",
    )
    wait_for(
        lambda: WebhookDelivery.objects.get(pk=delivery.pk).status == DeliveryStatus.DELIVERED,
        timeout=90,
        workers=pool,
        what="the webhook delivery",
    )
    wait_for(
        lambda: Report.objects.get(pk=lost.pk).status == ReportStatus.DONE,
        timeout=120,
        workers=pool,
        what="the lost report",
    )
    time.sleep(3)  # anything sent twice would have arrived by now

    invitations = [m for m in pool.sent_messages() if "new.person@example.test" in m]
    assert len(invitations) == 1
    task_done = [r for r in receiver.requests if r.payload["event"] == "task.done"]
    assert len(task_done) == 1 and task_done[0].headers["X-SMS-Tracker-Delivery"] == str(delivery.pk)
    assert Report.objects.get(pk=lost.pk).attempts == 1  # rendered once
    failed = Report.objects.get(status=ReportStatus.FAILED)
    assert failed.error == QUEUE_ERROR  # the one asked for during the outage, told to try again

    # Asking again now works, with the same gunicorn processes.
    assert browser.request(f"{p}/reports/{failed.pk}/retry/", {})[0] == 302
    wait_for(
        lambda: Report.objects.get(pk=failed.pk).status == ReportStatus.DONE,
        timeout=120,
        workers=pool,
        what="the retried report",
    )
    status, _, _ = browser.request(f"{p}/webhooks/{endpoint.pk}/ping/", {})
    assert status == 302

    assert not [entry for entry in log if entry[3] >= 500 and entry[3] != 503], [
        e for e in log if e[3] >= 500
    ]
    # The outage is logged in lines, not tracebacks (the cache's misses: one line every 10 s).
    assert "Traceback" not in web.log_text(), web.log_text()[-3000:]
    assert "Cache unavailable, served without it (ConnectionError:" in web.log_text()
    outage = [entry for entry in log if entry[0] == "outage"]
    assert {entry[3] for entry in outage} <= {200, 302, 429, 503}
    print(
        f"\nRedis outage: {len(log)} requests; during the outage {len(outage)} "
        f"({dict(statuses(log, 'outage'))}); after it {dict(statuses(log, 'back'))}; "
        f"sent after recovery: 1 e-mail, 1 webhook delivery, 1 report (attempts 1); "
        f"slowest outage request {max(entry[4] for entry in outage):.2f} s"
    )
    assert Task.objects.get(pk=task.pk).status == "done"


def _queued(sweep) -> bool:
    enqueue(sweep)
    return True
