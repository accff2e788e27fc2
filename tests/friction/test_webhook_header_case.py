"""Webhook header names go out on the wire exactly as documented (X-SMS-Tracker-*), and the docs'
verify() example works with a plain dict of those headers and with any re-cased copy
(issue 25 §2.10)."""

import re
import socket
import threading
from pathlib import Path

import pytest

from kernel.webhook_delivery import delivery_attempt
from projects import services as project_services
from tests.factories import make_task, make_webhook
from webhooks.models import WebhookDelivery

pytestmark = [pytest.mark.django_db, pytest.mark.timeout(30)]

DOCUMENTED = [
    "X-SMS-Tracker-Event",
    "X-SMS-Tracker-Delivery",
    "X-SMS-Tracker-Timestamp",
    "X-SMS-Tracker-Signature",
]


class RawReceiver:
    """Keeps the request's bytes as they came over the socket: no HTTP library re-cases them."""

    def __init__(self):
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(1)
        self.raw = b""
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    @property
    def url(self):
        return f"http://127.0.0.1:{self.sock.getsockname()[1]}/hook"

    def _serve(self):
        conn, _ = self.sock.accept()
        with conn:
            while b"\r\n\r\n" not in self.raw:
                self.raw += conn.recv(65536)
            head, _, body = self.raw.partition(b"\r\n\r\n")
            length = int(re.search(rb"(?i)content-length: *(\d+)", head).group(1))
            while len(body) < length:
                chunk = conn.recv(65536)
                self.raw += chunk
                body += chunk
            conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")

    def header_lines(self):
        head = self.raw.partition(b"\r\n\r\n")[0].decode()
        return dict(line.split(": ", 1) for line in head.split("\r\n")[1:])

    def body(self):
        return self.raw.partition(b"\r\n\r\n")[2]


def _verify_from_docs():
    """The verify() example of docs/operations-guide.md, executed as written."""
    text = (Path(__file__).resolve().parents[2] / "docs" / "operations-guide.md").read_text()
    code = re.search(r"```python\n(import hashlib, hmac, time\n.*?)```", text, re.S).group(1)
    namespace = {}
    exec(code, namespace)  # noqa: S102 - our own documentation's example
    return namespace["verify"]


def test_header_names_on_the_wire_are_the_documented_ones_and_the_docs_example_verifies(world, settings):
    settings.WEBHOOK_ALLOW_PRIVATE_ADDRESSES = True
    receiver = RawReceiver()
    make_webhook(world.project, user=world.user("lead"), url=receiver.url, events=["task.done"])
    project_services.task_set_done(task=make_task(world.project, title="Catalogue"), user=world.user("lead"))
    delivery = WebhookDelivery.objects.select_related("endpoint").get()

    assert delivery_attempt(delivery_id=delivery.pk) == "delivered"
    receiver.thread.join(5)

    headers = receiver.header_lines()
    for name in DOCUMENTED:
        assert name in headers, f"{name} not sent in that case: {sorted(headers)}"
    verify = _verify_from_docs()
    secret = delivery.endpoint.secret
    assert verify(secret, headers, receiver.body())  # a plain dict, names as sent
    assert verify(secret, {k.lower(): v for k, v in headers.items()}, receiver.body())
    assert verify(secret, {k.title(): v for k, v in headers.items()}, receiver.body())  # X-Sms-Tracker-*
    assert not verify(secret, headers, receiver.body() + b" ")
