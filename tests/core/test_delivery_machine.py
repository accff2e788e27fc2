"""The delivery row machine (kernel/delivery.py) on the three tables it serves: the outbox, webhook
deliveries and reports. A claim is exclusive (also between two PostgreSQL connections at once),
a transient error retries with backoff until the last attempt, a row whose worker stopped is
recovered by the sweep, and a row claimed twice is sent once."""

import threading
import time
from datetime import date, timedelta

import pytest
import time_machine
from django.apps import apps
from django.core import mail
from django.db import connection, connections, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from kernel import delivery
from kernel.delivery import DeliveryRow
from kernel.outbox import OutboxStatus, outbox_record, outbox_send, pending_ids
from kernel.webhook_delivery import DeliveryStatus
from notifications.models import OutboxMessage
from reports.models import Report, ReportStatus
from tests.conftest import service_missing
from tests.factories import UserFactory, make_report, make_webhook, make_webhook_delivery
from webhooks.models import WebhookDelivery


def _message(user, n=1):
    return outbox_record(
        recipient=user, subject_type="user", subject_id=user.pk, kind="invitation", day=date(2026, 12, n),
        subject="Join the project", body_text="You are invited.",
    )  # fmt: skip


def _delivery(world, key="machine:1"):
    endpoint = make_webhook(world.project, user=world.user("lead"))
    row = make_webhook_delivery(endpoint, status=DeliveryStatus.PENDING, key=key)
    WebhookDelivery.objects.filter(pk=row.pk).update(attempts=0)
    return row


def test_the_three_tables_are_delivery_rows_and_the_kernel_keeps_none():
    for model in (OutboxMessage, WebhookDelivery, Report):
        assert issubclass(model, DeliveryRow) and isinstance(model.machine, delivery.Machine)
    assert DeliveryRow._meta.abstract
    assert list(apps.get_app_config("kernel").get_models()) == []


# Only a user row is needed, so the flush after this test (post_migrate included) leaves the
# database as the next transactional test expects it; no serialized rollback.
@pytest.mark.django_db(transaction=True)
def test_two_connections_claiming_the_same_row_at_once_get_it_once():
    if connection.vendor != "postgresql":
        service_missing("the race needs two PostgreSQL connections (DATABASE_URL)")
    message = _message(UserFactory(email="race@example.com"))
    first_holds = threading.Event()
    outcomes = {}

    def first():
        try:
            with transaction.atomic():
                outcomes["first"] = delivery.claim(OutboxMessage, message.pk)
                first_holds.set()
                # Keep the row locked until the second claimer is seen waiting for it.
                deadline = time.monotonic() + 10
                while not outcomes.get("second_waits") and time.monotonic() < deadline:
                    time.sleep(0.02)
        finally:
            connections.close_all()

    def second():
        try:
            first_holds.wait(timeout=10)
            outcomes["second"] = delivery.claim(OutboxMessage, message.pk)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for thread in threads:
        thread.start()
    # The second UPDATE really runs at the same time: PostgreSQL shows it waiting on the row lock.
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and not outcomes.get("second_waits"):
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT count(*) FROM pg_stat_activity"
                " WHERE wait_event_type = 'Lock' AND query LIKE 'UPDATE%%'"
            )
            outcomes["second_waits"] = cursor.fetchone()[0] == 1
        time.sleep(0.02)
    for thread in threads:
        thread.join(timeout=30)

    assert outcomes["second_waits"]
    assert (outcomes["first"], outcomes["second"]) == (True, False)
    message.refresh_from_db()
    assert message.status == OutboxStatus.SENDING and message.attempts == 1


@pytest.mark.django_db
def test_a_transient_error_retries_with_doubling_backoff_then_gives_up(world, settings):
    settings.WEBHOOK_RETRY_BASE_SECONDS, settings.WEBHOOK_MAX_ATTEMPTS = 30, 3
    row = _delivery(world)
    with time_machine.travel(timezone.now(), tick=False) as clock:
        waits = []
        for _ in range(2):
            assert delivery.claim(WebhookDelivery, row.pk)
            waits.append(
                delivery.retry_or_give_up(
                    WebhookDelivery, WebhookDelivery.objects.get(pk=row.pk), error="HTTP 503"
                )
            )
            held = WebhookDelivery.objects.get(pk=row.pk)
            assert (
                held.status == DeliveryStatus.PENDING
                and held.next_attempt_at == timezone.now() + timedelta(seconds=waits[-1])
            )
            assert not delivery.claim(WebhookDelivery, row.pk)  # not due before its backoff
            clock.shift(waits[-1])
        assert waits == [30, 60]
        assert delivery.claim(WebhookDelivery, row.pk)
        last = WebhookDelivery.objects.get(pk=row.pk)
        assert (
            delivery.retry_or_give_up(WebhookDelivery, last, error="HTTP 503", last_status_code=503) is None
        )
    row.refresh_from_db()
    assert (row.status, row.attempts, row.last_error, row.last_status_code) == (
        DeliveryStatus.FAILED,
        3,
        "HTTP 503",
        503,
    )
    assert not delivery.claim(WebhookDelivery, row.pk)  # given up: nobody claims it again
    assert delivery.due_ids(WebhookDelivery) == []


@pytest.mark.django_db
def test_a_row_claimed_twice_is_sent_once():
    message = _message(UserFactory(email="a@example.com"))

    assert outbox_send(message_id=message.pk) == "sent"
    assert outbox_send(message_id=message.pk) == "skipped"  # the same task delivered again

    assert len(mail.outbox) == 1
    message.refresh_from_db()
    assert (message.status, message.attempts, message.sent_at is not None) == (OutboxStatus.SENT, 1, True)


@pytest.mark.django_db
def test_a_send_stuck_past_its_lease_is_failed_not_sent_again():
    user = UserFactory(email="b@example.com")
    stuck, recent, waiting = _message(user, 1), _message(user, 2), _message(user, 3)
    for message in (stuck, recent):
        assert delivery.claim(OutboxMessage, message.pk)
    OutboxMessage.objects.filter(pk=stuck.pk).update(claimed_at=timezone.now() - timedelta(minutes=31))

    assert pending_ids() == [waiting.pk]  # the flush: stuck one failed, only the pending one queued

    stuck.refresh_from_db(), recent.refresh_from_db()
    assert stuck.status == OutboxStatus.FAILED and "not sent again" in stuck.last_error
    assert recent.status == OutboxStatus.SENDING
    assert not mail.outbox


@pytest.mark.django_db
def test_the_sweep_of_rows_not_sent_again_costs_the_same_queries_for_one_or_many():
    user = UserFactory(email="c@example.com")

    def sweep(count, first_day):
        ids = [_message(user, first_day + n).pk for n in range(count)]
        for pk in ids:
            delivery.claim(OutboxMessage, pk)
        OutboxMessage.objects.filter(pk__in=ids).update(claimed_at=timezone.now() - timedelta(hours=1))
        with CaptureQueriesContext(connection) as queries:
            swept = delivery.sweep_stuck(OutboxMessage)
        assert sorted(swept["failed"]) == sorted(ids)
        return len(queries)

    assert sweep(1, 1) == sweep(12, 2) == 2


@pytest.mark.django_db
def test_a_stuck_report_is_rendered_again_until_its_attempts_are_used(world, settings):
    settings.REPORT_MAX_ATTEMPTS, settings.REPORT_STALE_AFTER_SECONDS = 2, 600
    report = make_report(world.project, status=ReportStatus.QUEUED)
    now = timezone.now()

    assert delivery.claim(Report, report.pk)
    Report.objects.filter(pk=report.pk).update(started_at=now - timedelta(seconds=601))
    assert delivery.sweep_stuck(Report, now=now) == {"retried": [report.pk], "failed": []}
    report.refresh_from_db()
    assert (report.status, report.started_at, report.queued_at) == (ReportStatus.QUEUED, None, now)

    assert delivery.claim(Report, report.pk)  # the second attempt is lost too
    Report.objects.filter(pk=report.pk).update(started_at=now - timedelta(seconds=601))
    assert delivery.sweep_stuck(Report, now=now) == {"retried": [], "failed": [report.pk]}
    report.refresh_from_db()
    assert report.status == ReportStatus.FAILED and report.finished_at == now
    assert report.error == "The worker rendering this report stopped (no result after 600 s, 2 attempts)."
    # The worker that was only slow finds the verdict taken: its success does not overwrite it.
    assert not delivery.succeed(Report, report.pk)
    assert Report.objects.get(pk=report.pk).status == ReportStatus.FAILED


@pytest.mark.django_db
def test_a_row_within_its_lease_is_left_to_its_worker(world, settings):
    settings.REPORT_STALE_AFTER_SECONDS = 600
    report = make_report(world.project, status=ReportStatus.QUEUED)
    assert delivery.claim(Report, report.pk)

    assert delivery.sweep_stuck(Report, now=timezone.now() + timedelta(seconds=599)) == {
        "retried": [],
        "failed": [],
    }
    assert delivery.succeed(Report, report.pk, page_count=3)
    report.refresh_from_db()
    assert (report.status, report.page_count, report.error) == (ReportStatus.DONE, 3, "")
    assert report.finished_at is not None
