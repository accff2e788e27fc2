"""Servers the fault tests start, stop and restart themselves: redis-server and a throwaway PostgreSQL
cluster on free ports, gunicorn as production runs it, and a browser-like HTTP client. Never the
shared PostgreSQL or Redis: those only serve the test database the app's data is copied from."""

from __future__ import annotations

import http.cookiejar
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from collections import Counter
from pathlib import Path

from django.conf import settings

from tests.conftest import service_missing


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_until(condition, *, timeout: float, what: str, interval: float = 0.1):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(interval)
    raise AssertionError(f"Timed out after {timeout} s waiting for {what}")


class RedisServer:
    """`redis-server --port P --save '' --appendonly no`: stopping it loses everything it held, as a
    restarted Redis without persistence does (queued messages included)."""

    def __init__(self, workdir: Path):
        if not shutil.which("redis-server"):
            service_missing("redis-server is not installed (scripts/system-deps.sh)")
        self.port = free_port()
        self.workdir = workdir
        self.process: subprocess.Popen | None = None
        self.starts = 0

    def url(self, db: int = 0) -> str:
        return f"redis://127.0.0.1:{self.port}/{db}"

    def start(self):
        self.starts += 1
        log = open(self.workdir / f"redis-{self.starts}.log", "wb")  # noqa: SIM115 - closed by the process end
        argv = [
            "redis-server",
            "--port",
            str(self.port),
            "--bind",
            "127.0.0.1",
            "--save",
            "",
            "--appendonly",
            "no",
        ]
        argv += ["--dir", str(self.workdir)]
        self.process = subprocess.Popen(argv, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
        wait_until(self.answers, timeout=20, what="redis-server to answer")

    def answers(self) -> bool:
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=0.5) as sock:
                sock.sendall(b"PING\r\n")
                return sock.recv(16).startswith(b"+PONG")
        except OSError:
            return False

    def stop(self):
        """Killed, not shut down politely: what a crash or an OOM kill does."""
        if self.process and self.process.poll() is None:
            self.process.kill()
            self.process.wait(timeout=10)

    def client(self):
        import redis

        return redis.Redis.from_url(self.url(), socket_connect_timeout=1, socket_timeout=2)


def _pg_bin(name: str) -> str:
    found = sorted(Path("/usr/lib/postgresql").glob(f"*/bin/{name}"))
    if not found:
        service_missing(f"PostgreSQL's {name} is not installed (scripts/system-deps.sh)")
    return str(found[-1])


class PostgresCluster:
    """A cluster of the test's own: initdb as the postgres user (it refuses root), a free port, its
    socket and data in a temporary directory removed at the end."""

    def __init__(self):
        if os.geteuid() != 0 or not shutil.which("runuser"):
            service_missing(
                "the PostgreSQL fault test starts its own cluster as the postgres user: run as root"
            )
        self.port = free_port()
        self.dir = Path(tempfile.mkdtemp(prefix="faults-pg-"))
        shutil.chown(self.dir, "postgres", "postgres")
        self.data = self.dir / "data"
        self._as_postgres(
            _pg_bin("initdb"), "-D", str(self.data), "-U", "postgres", "--auth=trust", "-E", "UTF8"
        )

    def _as_postgres(self, *argv, check=True):
        return subprocess.run(
            ["runuser", "-u", "postgres", "--", *argv],
            capture_output=True,
            text=True,
            check=check,
            timeout=120,
        )

    def url(self, name: str) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/{name}"

    def start(self):
        options = (
            f"-p {self.port} -k {self.dir} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=30"
        )
        self._as_postgres(
            _pg_bin("pg_ctl"), "-D", str(self.data), "-l", str(self.dir / "log"), "-w", "start", "-o", options
        )

    def stop(self, mode: str = "fast"):
        self._as_postgres(_pg_bin("pg_ctl"), "-D", str(self.data), "-w", "-m", mode, "stop", check=False)

    def restart(self):
        self.stop()
        self.start()

    def copy_database(self, source_url: str, name: str):
        """The test database (schema and the rows the test committed) copied in with pg_dump."""
        subprocess.run(
            [_pg_bin("createdb"), "-h", "127.0.0.1", "-p", str(self.port), "-U", "postgres", name], check=True
        )
        dump = subprocess.run(
            [_pg_bin("pg_dump"), "--no-owner", "--no-privileges", source_url],
            capture_output=True,
            check=True,
            timeout=300,
        )
        subprocess.run(
            [_pg_bin("psql"), "-q", "-v", "ON_ERROR_STOP=1", self.url(name)],
            input=dump.stdout,
            capture_output=True,
            check=True,
            timeout=300,
        )

    def remove(self):
        self.stop("immediate")
        shutil.rmtree(self.dir, ignore_errors=True)


class Gunicorn:
    """gunicorn with the production configuration (sms_tracker/gunicorn_conf.py: gthread workers)."""

    def __init__(self, workdir: Path, env: dict):
        self.port = free_port()
        self.log_path = workdir / f"gunicorn-{self.port}.log"
        self.env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "sms_tracker.settings",
            "SMS_TRACKER_TESTING": "1",  # plain static files storage, the tests' password hasher
            "DEBUG": "0",
            "SECRET_KEY": "faults-" + uuid.uuid4().hex,
            "ALLOWED_HOSTS": "127.0.0.1",
            "SESSION_COOKIE_SECURE": "0",
            "CSRF_COOKIE_SECURE": "0",
            "SECURE_SSL_REDIRECT": "0",
            "SECURE_HSTS_SECONDS": "0",
            "MEDIA_ROOT": str(settings.MEDIA_ROOT),
            "GUNICORN_BIND": f"127.0.0.1:{self.port}",
            "WEB_CONCURRENCY": "2",
            "GUNICORN_THREADS": "2",
            "SITE_URL": f"http://127.0.0.1:{self.port}",
            "LOG_LEVEL": "INFO",
            **env,
        }
        self.process: subprocess.Popen | None = None

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self):
        self.log = open(self.log_path, "wb")  # noqa: SIM115 - closed in stop()
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "-c",
                "python:sms_tracker.gunicorn_conf",
                "sms_tracker.wsgi:application",
            ],
            env=self.env,
            cwd=settings.BASE_DIR,
            stdout=self.log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        wait_until(self._listening, timeout=60, what="gunicorn to listen")

    def _listening(self):
        assert self.process.poll() is None, self.log_text()
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=0.5):
                return True
        except OSError:
            return False

    def log_text(self) -> str:
        return self.log_path.read_text(errors="replace")

    def stop(self):
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=5)
        self.log.close()


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


class Browser:
    """A person at a browser: cookies, the CSRF token, redirects shown rather than followed. Every
    answer is recorded (phase, method, path, status, seconds)."""

    def __init__(self, base: str, log: list | None = None, name: str = "browser"):
        self.base, self.name = base, name
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar), _NoRedirects)
        self.log = log if log is not None else []
        self.phase = "start"
        self.lock = threading.Lock()

    def cookie(self, name: str) -> str:
        return next((c.value for c in self.jar if c.name == name), "")

    def request(self, path, data=None, *, json_body=None, headers=None, method=None):
        headers = {"Referer": self.base + path, **(headers or {})}
        body = None
        if json_body is not None:
            body, headers["Content-Type"] = json.dumps(json_body).encode(), "application/json"
        elif data is not None:
            body = urllib.parse.urlencode(data).encode()
        if body is not None and self.cookie("csrftoken"):
            headers.setdefault("X-CSRFToken", self.cookie("csrftoken"))
        request = urllib.request.Request(self.base + path, body, headers, method=method)
        started = time.monotonic()
        try:
            with self.opener.open(request, timeout=60) as reply:
                status, reply_headers, content = reply.status, reply.headers, reply.read()
        except urllib.error.HTTPError as error:
            status, reply_headers, content = error.code, error.headers, error.read()
        with self.lock:
            self.log.append(
                (self.phase, request.get_method(), path, status, round(time.monotonic() - started, 3))
            )
        return status, reply_headers, content

    def sign_in(self, username, password):
        status, _, page = self.request("/accounts/login/")
        assert status == 200, (status, page[:300])
        token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1).decode()
        return self.request(
            "/accounts/login/", {"login": username, "password": password, "csrfmiddlewaretoken": token}
        )

    def signed_in(self) -> bool:
        status, _, _ = self.request("/projects/")
        return status == 200


class Hammer:
    """Page loads in a loop on a thread of its own, while the test stops and starts a server."""

    def __init__(self, browser: Browser, paths: list[str]):
        self.browser, self.paths = browser, paths
        self.stopped = threading.Event()
        self.thread = threading.Thread(target=self._run, daemon=True)

    def _run(self):
        n = 0
        while not self.stopped.is_set() and n < 2000:  # bounded in count and time
            self.browser.request(self.paths[n % len(self.paths)])
            n += 1
            time.sleep(0.02)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.stopped.set()
        self.thread.join(timeout=60)


def statuses(log, phase=None) -> Counter:
    return Counter(entry[3] for entry in log if phase is None or entry[0] == phase)
