"""A receiver that drips its answer a byte at a time holds a worker no longer than the delivery's
total deadline (issue 19 defect 6): connecting, sending and reading together end after
WEBHOOK_TIMEOUT_SECONDS, and the delivery is retried later (or failed after its last attempt)."""

import socket
import threading
import time

import pytest

from kernel.webhook_delivery import DeliveryStatus, RetryLater, delivery_attempt
from projects import services as project_services
from tests.factories import make_task, make_webhook
from webhooks.models import WebhookDelivery

pytestmark = pytest.mark.django_db

DEADLINE = 2  # seconds (WEBHOOK_TIMEOUT_SECONDS is whole seconds)
MARGIN = 1.5
DRIP_EVERY = 0.4  # far below the deadline: a per-read timeout would never fire
DRIP_FOR = 20  # the old per-operation timeout held the worker this long (and longer with a longer drip)


class DrippingReceiver:
    """A TCP server on 127.0.0.1 that reads the request, then answers one byte every DRIP_EVERY s
    (the status line, then headers that never end), for at most DRIP_FOR s."""

    def __init__(self, *, answer_at_once: bytes = b""):
        self.server = socket.create_server(("127.0.0.1", 0))
        self.port = self.server.getsockname()[1]
        self.answer_at_once = answer_at_once
        self.connections = 0
        self.stopped = threading.Event()
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    @property
    def url(self):
        return f"http://127.0.0.1:{self.port}/hook"

    def _serve(self):
        self.server.settimeout(0.2)
        while not self.stopped.is_set():
            try:
                conn, _ = self.server.accept()
            except TimeoutError:
                continue
            except OSError:
                return  # stopped
            self.connections += 1
            threading.Thread(target=self._drip, args=(conn,), daemon=True).start()

    def _drip(self, conn):
        with conn:
            conn.settimeout(DRIP_FOR)
            try:
                conn.recv(65536)
                if self.answer_at_once:
                    conn.sendall(self.answer_at_once)
                started = time.monotonic()
                for byte in (b"HTTP/1.1 200 OK\r\n" + b"X-Slow: " + b"a" * 1000)[len(self.answer_at_once) :]:
                    if self.stopped.is_set() or time.monotonic() - started > DRIP_FOR:
                        return
                    conn.sendall(bytes([byte]))
                    time.sleep(DRIP_EVERY)
            except OSError:
                return  # the sender hung up

    def stop(self):
        self.stopped.set()
        self.server.close()


@pytest.fixture
def dripping(settings):
    settings.WEBHOOK_ALLOW_PRIVATE_ADDRESSES = True
    settings.WEBHOOK_TIMEOUT_SECONDS = DEADLINE
    receiver = DrippingReceiver()
    yield receiver
    receiver.stop()


def _delivery(world, url):
    make_webhook(world.project, user=world.user("lead"), url=url, events=["task.done"])
    project_services.task_set_done(task=make_task(world.project), user=world.user("lead"))
    return WebhookDelivery.objects.get()


@pytest.mark.timeout(60, func_only=True)
def test_a_dripping_receiver_is_given_up_on_at_the_total_deadline_and_retried(world, dripping):
    delivery = _delivery(world, dripping.url)

    started = time.monotonic()
    with pytest.raises(RetryLater):
        delivery_attempt(delivery_id=delivery.pk)
    elapsed = time.monotonic() - started

    assert DEADLINE - 0.2 <= elapsed <= DEADLINE + MARGIN, elapsed
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.PENDING and delivery.attempts == 1
    assert delivery.last_status_code is None
    assert "DeadlineExceeded" in delivery.last_error and f"{DEADLINE} s" in delivery.last_error
    assert dripping.connections == 1


@pytest.mark.timeout(60, func_only=True)
def test_a_dripping_receiver_at_the_last_attempt_fails_the_delivery(world, dripping, settings):
    settings.WEBHOOK_MAX_ATTEMPTS = 1
    delivery = _delivery(world, dripping.url)

    started = time.monotonic()
    assert delivery_attempt(delivery_id=delivery.pk) == "failed"

    assert time.monotonic() - started <= DEADLINE + MARGIN
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.FAILED and "DeadlineExceeded" in delivery.last_error


@pytest.mark.timeout(60, func_only=True)
def test_the_deadline_covers_a_receiver_that_drips_its_headers_after_a_prompt_status_line(world, settings):
    settings.WEBHOOK_ALLOW_PRIVATE_ADDRESSES = True
    settings.WEBHOOK_TIMEOUT_SECONDS = DEADLINE
    receiver = DrippingReceiver(answer_at_once=b"HTTP/1.1 200 OK\r\n")
    try:
        delivery = _delivery(world, receiver.url)
        started = time.monotonic()
        with pytest.raises(RetryLater):
            delivery_attempt(delivery_id=delivery.pk)
        assert time.monotonic() - started <= DEADLINE + MARGIN
    finally:
        receiver.stop()
