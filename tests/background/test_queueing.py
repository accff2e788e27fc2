"""Publishing to the broker reuses a pooled connection; a broker that is down is still a clear error."""

import os
import socket
import time
import uuid

import pytest
import redis

from kernel.queueing import QueueUnavailable, enqueue
from projects.tasks import refresh_project_progress
from sms_tracker.celery import app
from tests.background.workers import broker_url
from tests.conftest import need_service

pytestmark = pytest.mark.services


@pytest.fixture
def real_broker():
    need_service("Redis", broker_url(), 6379)
    queue = f"sms-test-{uuid.uuid4().hex[:10]}"
    saved = (app.conf.task_always_eager, app.conf.broker_url, app.conf.task_default_queue)
    app.conf.task_always_eager, app.conf.broker_url, app.conf.task_default_queue = False, broker_url(), queue
    yield queue
    app.conf.task_always_eager, app.conf.broker_url, app.conf.task_default_queue = saved
    client = redis.Redis.from_url(broker_url())
    client.delete(queue, f"_kombu.binding.{queue}", f"_kombu.binding_permanent.{queue}")
    client.close()


@pytest.fixture
def connects(monkeypatch):
    """Every TCP connection the process opens, by port."""
    opened = []
    original = socket.socket.connect

    def connect(self, address):
        opened.append(address[1] if isinstance(address, tuple) else address)
        return original(self, address)

    monkeypatch.setattr(socket.socket, "connect", connect)
    return opened


def test_publishes_reuse_one_pooled_broker_connection(real_broker, connects):
    port = redis.Redis.from_url(broker_url()).connection_pool.connection_kwargs.get("port", 6379)
    enqueue(refresh_project_progress, 0)  # the first publish may connect
    connects.clear()
    for project_id in range(1, 21):
        enqueue(refresh_project_progress, project_id)

    assert connects.count(port) == 0
    client = redis.Redis.from_url(broker_url())
    assert client.llen(real_broker) == 21  # every message was published
    client.close()


def test_a_forked_process_does_not_inherit_the_pooled_connections(real_broker):
    from kernel import queueing

    enqueue(refresh_project_progress, 1)
    assert queueing._producer_pools
    child = os.fork()
    if child == 0:  # pragma: no cover - the child only reports
        os._exit(0 if queueing._producer_pools == {} else 1)
    _, status = os.waitpid(child, 0)
    assert os.waitstatus_to_exitcode(status) == 0
    assert queueing._producer_pools  # the parent keeps its own


def test_a_broker_that_is_down_is_a_clear_error_quickly(broker_down):
    started = time.monotonic()
    with pytest.raises(QueueUnavailable):
        enqueue(refresh_project_progress, 1)
    assert time.monotonic() - started < 10
