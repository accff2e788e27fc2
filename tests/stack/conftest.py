"""Two gunicorn replicas behind nginx, one PostgreSQL (the test database), the shared Redis (keys of
this run only), moto's S3 server and a real Celery worker: started once per session (issue 22 §2)."""

import os
import shutil
import signal
import socket
import subprocess
import sys

import pytest
from django.conf import settings

from tests.background.workers import Workers, broker_url, database_url, need_shared_database
from tests.conftest import need_service, service_missing
from tests.production.conftest import collected_static  # noqa: F401  (the manifest static files)

PORTS = range(8180, 8200)  # this suite's ports for live servers


def _free_ports(count: int) -> list[int]:
    found = []
    for port in PORTS:
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) != 0:
                found.append(port)
        if len(found) == count:
            return found
    raise RuntimeError(f"no {count} free ports in {PORTS}")


NGINX_CONF = """
{user}
worker_processes 1;
daemon off;
pid {tmp}/nginx.pid;
error_log {tmp}/nginx-error.log warn;
events {{ worker_connections 512; }}
http {{
    access_log {tmp}/nginx-access.log;
    client_body_temp_path {tmp}/client_body;
    proxy_temp_path {tmp}/proxy;
    fastcgi_temp_path {tmp}/fastcgi;
    uwsgi_temp_path {tmp}/uwsgi;
    scgi_temp_path {tmp}/scgi;
    client_max_body_size 25m;
    upstream both {{ server 127.0.0.1:{a}; server 127.0.0.1:{b}; keepalive 32; }}
    upstream only_a {{ server 127.0.0.1:{a}; keepalive 32; }}
    server {{
        listen 127.0.0.1:{two};
        location / {{ proxy_pass http://both; {proxy} }}
    }}
    server {{
        listen 127.0.0.1:{one};
        location / {{ proxy_pass http://only_a; {proxy} }}
    }}
}}
"""
PROXY = (
    'proxy_http_version 1.1; proxy_set_header Connection ""; proxy_set_header Host $http_host; '
    "proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for; "
    "add_header X-Upstream $upstream_addr always;"  # which replica answered: the round-robin check
)


class ReplicaStack:
    def __init__(self, tmp, s3_server, static_root):
        self.tmp = tmp
        self.a, self.b, self.two, self.one = _free_ports(4)
        self.bucket = s3_server.new_bucket("sms-stack")
        self.s3 = s3_server
        self.workers = Workers(tmp)
        self.cache_prefix = f"stack-{self.workers.queue}"
        self.storage = s3_server.environment(self.bucket)
        self.shared = {  # what every process of the installation is given alike
            **self.storage,
            "DATABASE_URL": database_url(),
            "REDIS_URL": broker_url(),
            "CACHE_URL": broker_url(),  # the page cache and rate limits shared in Redis
            "CACHE_KEY_PREFIX": self.cache_prefix,
            "CELERY_QUEUE": self.workers.queue,
            "CELERY_QUEUE_PREFIX": self.workers.queue_prefix,
            "TIME_ZONE": settings.TIME_ZONE,
            "SITE_URL": f"http://127.0.0.1:{self.two}",
        }
        self.static_root = static_root
        self.processes = []

    def media_root(self, name):
        """Each process its own empty local media directory: nothing may be kept there."""
        path = self.tmp / f"media-{name}"
        path.mkdir()
        return path

    def start_replica(self, name, port):
        env = {
            **{k: v for k, v in os.environ.items() if not k.startswith("AWS_")},
            **self.shared,
            "DJANGO_SETTINGS_MODULE": "sms_tracker.settings",
            "SMS_TRACKER_TESTING": "0",
            "DEBUG": "0",
            "SECRET_KEY": "stack-test-" + self.cache_prefix,  # the same on both: sessions, CSRF
            "ALLOWED_HOSTS": "127.0.0.1",
            "SESSION_COOKIE_SECURE": "0",
            "CSRF_COOKIE_SECURE": "0",
            "SECURE_HSTS_SECONDS": "0",
            "SECURE_SSL_REDIRECT": "0",
            "STATIC_ROOT": str(self.static_root),
            "MEDIA_ROOT": str(self.media_root(name)),
        }
        argv = [
            sys.executable,
            "-m",
            "gunicorn",
            "sms_tracker.wsgi:application",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "2",
            "--timeout",
            "120",
        ]
        self._start(name, argv, env)

    def start_nginx(self):
        user = "user root;" if os.geteuid() == 0 else ""  # workers must reach the root-owned tmp dir
        conf = self.tmp / "nginx.conf"
        conf.write_text(
            NGINX_CONF.format(
                user=user, tmp=self.tmp, a=self.a, b=self.b, one=self.one, two=self.two, proxy=PROXY
            )
        )
        self._start(
            "nginx",
            [
                shutil.which("nginx"),
                "-p",
                str(self.tmp),
                "-c",
                str(conf),
                "-e",
                str(self.tmp / "nginx-error.log"),
            ],
            dict(os.environ),
        )

    def start_worker(self):
        env = {**self.shared, "MEDIA_ROOT": str(self.media_root("worker"))}
        self.workers.start("stack-worker", environment=env)

    def _start(self, name, argv, env):
        log = open(self.tmp / f"{name}.log", "wb")  # closed in stop()
        process = subprocess.Popen(
            argv, env=env, cwd=settings.BASE_DIR, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
        )
        process.log = log
        self.processes.append(process)

    def local_files(self):
        return [p for p in self.tmp.glob("media-*/**/*") if p.is_file()]

    def log_text(self):
        return "\n".join(p.read_text(errors="replace")[-3000:] for p in sorted(self.tmp.glob("*.log")))

    def stop(self):
        for process in self.processes:
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait(timeout=5)
            process.log.close()
        self.workers.stop_all()
        self.workers.forget_queue()
        import redis

        client = redis.Redis.from_url(broker_url())
        for key in client.scan_iter(f"{self.cache_prefix}:*", count=1000):  # this run's keys only
            client.delete(key)
        client.close()
        self.s3.drop_bucket(self.bucket)


@pytest.fixture(scope="session")
def replica_stack(django_db_setup, django_db_blocker, s3_server, collected_static, tmp_path_factory):  # noqa: F811
    need_service("Redis", broker_url(), 6379)
    with django_db_blocker.unblock():
        need_shared_database()
    for tool in ("nginx", "pdftotext"):
        if not shutil.which(tool):
            service_missing(f"{tool} is not installed (scripts/system-deps.sh)")
    stack = ReplicaStack(tmp_path_factory.mktemp("stack"), s3_server, collected_static)
    try:
        stack.start_replica("gunicorn-a", stack.a)
        stack.start_replica("gunicorn-b", stack.b)
        stack.start_worker()
        stack.start_nginx()
        yield stack
    finally:
        stack.stop()
