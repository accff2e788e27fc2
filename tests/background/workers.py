"""Real `celery worker` processes for the integration tests, against the real Redis and the test database."""

import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

from django.conf import settings
from django.db import connection

from tests.conftest import service_missing

LOCAL_REDIS = "redis://127.0.0.1:6379/4"


def broker_url() -> str:
    return settings.REDIS_URL or LOCAL_REDIS


def need_shared_database():
    """A worker process must see the test database: PostgreSQL, not SQLite's in-memory test DB."""
    if connection.vendor == "postgresql":
        return
    service_missing(
        "worker integration tests need PostgreSQL (DATABASE_URL); the SQLite test database is in memory"
    )


def database_url() -> str:
    db = connection.settings_dict
    auth = db["USER"] + (f":{db['PASSWORD']}" if db.get("PASSWORD") else "")
    return f"postgres://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


class Workers:
    def __init__(self, tmp_path: Path):
        self.queue = f"sms-test-{uuid.uuid4().hex[:10]}"
        # The queues by kind of this test: "<default queue>." + kind (sms_tracker/celery.py routes).
        self.queue_prefix = f"{self.queue}."
        self.mail_dir = tmp_path / "mail"
        self.mail_dir.mkdir()
        self.media = Path(settings.MEDIA_ROOT)
        self.processes: list[subprocess.Popen] = []
        self.logs = tmp_path

    def queue_names(self, kinds=None) -> list[str]:
        """This test's queues of the given kinds ("default" included), all of them by default."""
        from sms_tracker.celery import QUEUE_KINDS

        kinds = ("default", *QUEUE_KINDS) if kinds is None else kinds
        return [self.queue if kind == "default" else self.queue_prefix + kind for kind in kinds]

    def start(self, name: str, concurrency: int = 1, kinds=None, environment=None) -> subprocess.Popen:
        """A worker consuming the queues of `kinds` (every queue by default); `environment` adds or
        overrides variables (a bucket, a cache key prefix shared with web processes)."""
        from tests.storage.s3server import storage_environment

        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "sms_tracker.settings",
            "SMS_TRACKER_TESTING": "1",
            "DATABASE_URL": database_url(),
            "REDIS_URL": broker_url(),
            "MEDIA_ROOT": str(self.media),
            **storage_environment(),  # the test's bucket when it stores on S3
            "EMAIL_URL": f"filemail://{self.mail_dir.resolve()}".replace("://", ":///", 1),
            "SITE_URL": "http://testserver",
            "CELERY_QUEUE": self.queue,
            "CELERY_QUEUE_PREFIX": self.queue_prefix,
            **(environment or {}),
        }
        log = open(self.logs / f"{name}.log", "wb")  # closed in kill()
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "sms_tracker",
                "worker",
                "-Q",
                ",".join(self.queue_names(kinds)),
                "-n",
                f"{name}-{self.queue}@%h",
                "-c",
                str(concurrency),
                "--without-gossip",
                "--without-mingle",
                "--without-heartbeat",
                "-l",
                "info",
            ],
            env=env,
            cwd=settings.BASE_DIR,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group, so a kill takes the pool children too
        )
        process.log = log
        self.processes.append(process)
        return process

    def kill(self, process, sig=signal.SIGKILL):
        if process.poll() is None:
            os.killpg(process.pid, sig)
        process.wait(timeout=20)
        process.log.close()

    def stop_all(self):
        for process in self.processes:
            if process.poll() is None:
                self.kill(process, signal.SIGTERM)

    def forget_queue(self):
        """Drop this test's queues and their bindings from Redis."""
        import redis

        client = redis.Redis.from_url(broker_url())
        for queue in self.queue_names():
            client.delete(queue, f"_kombu.binding.{queue}", f"_kombu.binding_permanent.{queue}")
        client.close()

    def queue_length(self, kind: str) -> int:
        import redis

        client = redis.Redis.from_url(broker_url())
        try:
            return client.llen(self.queue_names([kind])[0])
        finally:
            client.close()

    def log_text(self, tail: int | None = 3000) -> str:
        texts = (p.read_text(errors="replace") for p in sorted(self.logs.glob("*.log")))
        return "\n".join(text[-tail:] if tail else text for text in texts)

    def succeeded(self, task_name: str) -> int:
        lines = self.log_text(tail=None).splitlines()
        return sum(1 for line in lines if f"{task_name}[" in line and " succeeded in " in line)

    def sent_messages(self) -> list[str]:
        text = "".join(p.read_text() for p in self.mail_dir.glob("*.log"))
        return [chunk for chunk in text.split("-" * 79) if "Message-ID:" in chunk]


def wait_for(condition, *, timeout=60, interval=0.05, workers=None, what="condition"):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(interval)
    details = workers.log_text() if workers else ""
    raise AssertionError(f"Timed out waiting for {what}.\n{details}")
