"""A real S3-compatible server for tests: moto's standalone server (`moto_server`) on a free port.

Reusable by any test group: the session fixture `s3_server` starts one server per test process;
`s3_server.new_bucket()` gives a test an empty bucket of its own, `storage_setting(bucket)` the
STORAGES["default"] entry that points Django at it and `environment(bucket)` the AWS_* variables a
subprocess (a worker, gunicorn) needs to use the same bucket.
"""

import os
import shutil
import socket
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest

ACCESS_KEY = "test-access-key"
SECRET_KEY = "test-secret-key"
REGION = "us-east-1"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _moto_command() -> list[str]:
    beside = Path(sys.executable).with_name("moto_server")
    if beside.exists():
        return [str(beside)]
    found = shutil.which("moto_server")
    if found:
        return [found]
    return [sys.executable, "-m", "moto.server"]


class S3Server:
    def __init__(self, port: int | None = None):
        self.port = port or free_port()
        self.endpoint = f"http://127.0.0.1:{self.port}"
        self.process: subprocess.Popen | None = None
        self._client = None

    def start(self, timeout: float = 20) -> "S3Server":
        env = {**os.environ, "AWS_ACCESS_KEY_ID": ACCESS_KEY, "AWS_SECRET_ACCESS_KEY": SECRET_KEY}
        self.process = subprocess.Popen(
            [*_moto_command(), "-H", "127.0.0.1", "-p", str(self.port)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            env=env,
        )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"moto_server exited with {self.process.returncode}")
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.2):
                    self.client().list_buckets()
                    return self
            except Exception:  # not listening yet
                time.sleep(0.1)
        self.stop()
        raise RuntimeError(f"moto_server did not answer on port {self.port} within {timeout} s")

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()

    def client(self):
        if self._client is None:
            import boto3

            self._client = boto3.client(
                "s3",
                endpoint_url=self.endpoint,
                aws_access_key_id=ACCESS_KEY,
                aws_secret_access_key=SECRET_KEY,
                region_name=REGION,
            )
        return self._client

    def new_bucket(self, prefix: str = "sms-test") -> str:
        name = f"{prefix}-{uuid.uuid4().hex[:12]}"
        self.client().create_bucket(Bucket=name)
        return name

    def drop_bucket(self, bucket: str) -> None:
        client = self.client()
        for page in client.get_paginator("list_objects_v2").paginate(Bucket=bucket):
            keys = [{"Key": item["Key"]} for item in page.get("Contents", [])]
            if keys:
                client.delete_objects(Bucket=bucket, Delete={"Objects": keys})
        client.delete_bucket(Bucket=bucket)

    def keys(self, bucket: str) -> dict[str, int]:
        """Every object in the bucket: key -> size."""
        found = {}
        for page in self.client().get_paginator("list_objects_v2").paginate(Bucket=bucket):
            found.update({item["Key"]: item["Size"] for item in page.get("Contents", [])})
        return found

    def environment(self, bucket: str) -> dict[str, str]:
        """What settings.py reads to put the default storage in this bucket."""
        return {
            "AWS_STORAGE_BUCKET_NAME": bucket,
            "AWS_S3_ENDPOINT_URL": self.endpoint,
            "AWS_ACCESS_KEY_ID": ACCESS_KEY,
            "AWS_SECRET_ACCESS_KEY": SECRET_KEY,
            "AWS_S3_REGION_NAME": REGION,
        }

    def storage_setting(self, bucket: str) -> dict:
        """STORAGES["default"] for this bucket, built by settings.py's own code from the environment."""
        return storage_setting_from(self.environment(bucket))


def storage_setting_from(environment: dict[str, str]) -> dict:
    """The entry settings.py builds from these variables, so tests use exactly what production uses."""
    from kernel.filestore import s3_storage_setting

    return s3_storage_setting(environment)


def storage_environment() -> dict[str, str]:
    """The variables a subprocess needs to use the same default storage as this test process: the
    bucket when the test stores on S3, else MEDIA_ROOT."""
    from django.conf import settings

    default = settings.STORAGES["default"]
    if default["BACKEND"].startswith("storages.backends.s3"):
        options = default["OPTIONS"]
        return {
            "AWS_STORAGE_BUCKET_NAME": options["bucket_name"],
            "AWS_S3_ENDPOINT_URL": options["endpoint_url"],
            "AWS_ACCESS_KEY_ID": options["access_key"],
            "AWS_SECRET_ACCESS_KEY": options["secret_key"],
            "AWS_S3_REGION_NAME": options["region_name"] or "",
            "MEDIA_ROOT": str(settings.MEDIA_ROOT),
        }
    return {"MEDIA_ROOT": str(settings.MEDIA_ROOT)}


@pytest.fixture(scope="session")
def s3_server():
    """One moto S3 server per test process (each xdist worker has its own), stopped at the end."""
    server = S3Server().start()
    yield server
    server.stop()


@pytest.fixture
def s3_bucket(s3_server):
    """An empty bucket for one test, removed after it."""
    bucket = s3_server.new_bucket()
    yield bucket
    s3_server.drop_bucket(bucket)


def stored_names() -> list[str]:
    """Every file in the default storage (disk or bucket), through the storage API."""
    from django.core.files.storage import default_storage

    from kernel.filestore import walk

    try:
        return walk(default_storage)
    except FileNotFoundError:  # MEDIA_ROOT not created yet: nothing stored
        return []
