"""Issue 22 §3: beat is safe to run twice. Two real `celery beat` processes on the real Redis: only
the one holding the lock schedules; when it dies the other takes over, and still nothing runs twice."""

import os
import signal
import subprocess
import sys
import time
import uuid

import pytest
import redis
from django.conf import settings

from tests.background.workers import broker_url, wait_for
from tests.conftest import need_service

pytestmark = pytest.mark.services
LOCK_TIMEOUT = 4


class CountingStack:
    def __init__(self, tmp_path):
        self.id = f"sms-test-beat-{uuid.uuid4().hex[:10]}"
        self.key = f"{self.id}:count"
        self.logs = tmp_path
        self.tmp = tmp_path
        self.processes = {}
        self.client = redis.Redis.from_url(broker_url())
        self.env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "sms_tracker.settings",
            "SMS_TRACKER_TESTING": "1",
            "REDIS_URL": broker_url(),
            "COUNT_KEY": self.key,
            "COUNT_QUEUE": self.id,
            "CELERY_QUEUE": self.id,
            "CELERY_BEAT_KEY_PREFIX": f"{self.id}:beat:",
            "CELERY_BEAT_LOCK_TIMEOUT": str(LOCK_TIMEOUT),
            "CELERY_BEAT_MAX_LOOP_INTERVAL": "1",
        }

    def start(self, name, *argv):
        log = open(self.logs / f"{name}.log", "wb")  # closed in stop()
        process = subprocess.Popen(
            [sys.executable, "-m", "tests.background.counting_beat", *argv],
            env=self.env,
            cwd=settings.BASE_DIR,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        process.log = log
        self.processes[name] = process

    def start_beat(self, name):
        # A schedule file of its own: without the Redis lock each beat would schedule on its own.
        self.start(name, "beat", "-l", "info", "-s", str(self.tmp / f"{name}-schedule"))

    def kill(self, name, sig=signal.SIGKILL):
        process = self.processes[name]
        if process.poll() is None:
            os.killpg(process.pid, sig)
        process.wait(timeout=20)
        process.log.close()

    def count(self) -> int:
        return int(self.client.get(self.key) or 0)

    def log(self, name) -> str:
        return (self.logs / f"{name}.log").read_text(errors="replace")

    def stop(self):
        for name, process in self.processes.items():
            if process.poll() is None:
                self.kill(name, signal.SIGTERM)
        for key in self.client.keys(f"{self.id}*") + self.client.keys(f"_kombu.binding.{self.id}*"):
            self.client.delete(key)
        self.client.close()


class Logs:
    def __init__(self, stack):
        self.stack = stack

    def log_text(self):
        return "\n".join(self.stack.log(name)[-3000:] for name in self.stack.processes)


@pytest.fixture
def stack(tmp_path):
    need_service("Redis", broker_url(), 6379)
    found = CountingStack(tmp_path)
    yield found
    found.stop()


def beat_running_metric(stack) -> float:
    """`sms_beat_running` as /metrics/ reports it, for this test's lock."""
    from kernel.metrics import _queue_lengths
    from sms_tracker.celery import app

    saved = (app.conf.broker_url, app.conf.redbeat_lock_key)
    app.conf.broker_url, app.conf.redbeat_lock_key = broker_url(), f"{stack.id}:beat:lock"
    try:
        families = {family.name: family for family in _queue_lengths()}
    finally:
        app.conf.broker_url, app.conf.redbeat_lock_key = saved
    return families["sms_beat_running"].samples[0].value


def _ticks_during(stack, seconds: float) -> int:
    start = stack.count()
    time.sleep(seconds)
    return stack.count() - start


def test_two_beat_processes_schedule_each_tick_once_and_the_second_takes_over(stack):
    logs = Logs(stack)
    stack.start(
        "worker",
        "worker",
        "-Q",
        stack.id,
        "-c",
        "1",
        "-n",
        f"count-{stack.id}@%h",
        "--without-gossip",
        "--without-mingle",
        "--without-heartbeat",
        "-l",
        "info",
    )
    stack.start_beat("beat-a")
    wait_for(lambda: "Acquired lock" in stack.log("beat-a"), timeout=60, workers=logs, what="beat A's lock")
    assert beat_running_metric(stack) == 1
    stack.start_beat("beat-b")
    wait_for(lambda: stack.count() >= 2, timeout=60, workers=logs, what="the first ticks")
    time.sleep(4)  # beat B is up and waiting by now

    ticks = _ticks_during(stack, 10)
    # One scheduler: a tick a second (give or take one); two would make about twenty.
    assert 8 <= ticks <= 12, logs.log_text()
    assert "Acquired lock" not in stack.log("beat-b")

    stack.kill("beat-a")  # dies without releasing its lock: B waits for it to expire, then schedules
    wait_for(
        lambda: "Acquired lock" in stack.log("beat-b"),
        timeout=LOCK_TIMEOUT + 30,
        workers=logs,
        what="beat B taking over",
    )
    time.sleep(2)
    ticks = _ticks_during(stack, 8)
    assert 6 <= ticks <= 10, logs.log_text()

    stack.kill("beat-b")  # no beat left: once the lock expires the metric says so
    wait_for(lambda: beat_running_metric(stack) == 0, timeout=LOCK_TIMEOUT + 10, workers=logs, what="no beat")
