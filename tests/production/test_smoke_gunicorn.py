"""Production smoke test: gunicorn with DEBUG off and the collected manifest static files, a real
Celery worker on Redis, a signed-in lead asking for every kind of report through the web page.
Each PDF must come back carrying its stylesheet (issue 9 §1 and §2.5), and one page is looked at as
a PNG (pdftoppm)."""

import http.cookiejar
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import urllib.error
import urllib.parse
import urllib.request
import uuid

import pytest
from django.conf import settings
from django.contrib.auth.hashers import PBKDF2PasswordHasher

from audits.models import Audit, ManagementReview
from gapanalysis.models import Assessment
from reports.models import Report
from tests.background.workers import broker_url, database_url, need_shared_database, wait_for
from tests.conftest import need_service, service_missing
from tests.holes import add_holes
from tests.production.pdfcheck import assert_styled

PORT_RANGE = range(8150, 8199)  # this suite's ports for live servers


def _free_port() -> int:
    for port in PORT_RANGE:
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) != 0:
                return port
    raise RuntimeError("no free port for gunicorn")


class Stack:
    """gunicorn and a Celery worker as production runs them, on the test database."""

    def __init__(self, tmp_path, static_root):
        self.queue = f"sms-smoke-{uuid.uuid4().hex[:10]}"
        self.port = _free_port()
        self.logs = tmp_path
        self.env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "sms_tracker.settings",
            "SMS_TRACKER_TESTING": "0",
            "DEBUG": "0",
            "SECRET_KEY": "smoke-test-" + uuid.uuid4().hex,
            "ALLOWED_HOSTS": "127.0.0.1",
            "SESSION_COOKIE_SECURE": "0",  # plain HTTP to 127.0.0.1
            "CSRF_COOKIE_SECURE": "0",
            "SECURE_HSTS_SECONDS": "0",
            "SECURE_SSL_REDIRECT": "0",
            "STATIC_ROOT": str(static_root),
            "MEDIA_ROOT": str(settings.MEDIA_ROOT),
            "DATABASE_URL": database_url(),
            "REDIS_URL": broker_url(),
            "CELERY_QUEUE": self.queue,
            "CELERY_QUEUE_PREFIX": f"{self.queue}.",  # the queues by kind of this run
            # The shared Redis is the cache here: keys of this run only (ids repeat across runs).
            "CACHE_KEY_PREFIX": f"smoke-{self.queue}",
            "TIME_ZONE": settings.TIME_ZONE,
            "SITE_URL": f"http://127.0.0.1:{self.port}",
        }
        self.processes = []

    def start(self, name, argv):
        log = open(self.logs / f"{name}.log", "wb")  # closed in stop()
        process = subprocess.Popen(
            argv,
            env=self.env,
            cwd=settings.BASE_DIR,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        process.log = log
        self.processes.append(process)

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
        import redis

        client = redis.Redis.from_url(broker_url())
        for queue in self.queues():
            client.delete(queue, f"_kombu.binding.{queue}")
        client.close()

    def queues(self) -> list[str]:
        from sms_tracker.celery import QUEUE_KINDS

        return [self.queue, *(f"{self.queue}.{kind}" for kind in QUEUE_KINDS)]

    def log_text(self):
        return "\n".join(p.read_text(errors="replace")[-3000:] for p in sorted(self.logs.glob("*.log")))


@pytest.fixture
def stack(transactional_db, django_db_serialized_rollback, collected_static, media, tmp_path):
    need_service("Redis", broker_url(), 6379)
    need_shared_database()
    if not shutil.which("pdftoppm"):
        service_missing("pdftoppm (poppler-utils) is not installed")
    processes = Stack(tmp_path, collected_static)
    processes.start(
        "gunicorn",
        [
            sys.executable,
            "-m",
            "gunicorn",
            "sms_tracker.wsgi:application",
            "--bind",
            f"127.0.0.1:{processes.port}",
            "--workers",
            "2",
            "--timeout",
            "120",
        ],
    )
    processes.start(
        "worker",
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "sms_tracker",
            "worker",
            "-Q",
            ",".join(processes.queues()),
            "-c",
            "1",
            "-n",
            f"smoke-{processes.queue}@%h",
            "--without-gossip",
            "--without-mingle",
            "--without-heartbeat",
            "-l",
            "info",
        ],
    )
    yield processes
    processes.stop()


class Browser:
    """A signed-in user over plain HTTP, with cookies and the CSRF token, as a browser would."""

    def __init__(self, base):
        self.base = base
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))

    def request(self, path, data=None):
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        headers = {"Referer": self.base + path}
        if data is not None:
            headers["X-CSRFToken"] = self.cookie("csrftoken")
        try:
            with self.opener.open(urllib.request.Request(self.base + path, body, headers), timeout=60) as r:
                return r.status, r.headers, r.read()
        except urllib.error.HTTPError as error:
            return error.code, error.headers, error.read()

    def cookie(self, name):
        return next((c.value for c in self.jar if c.name == name), "")

    def sign_in(self, username, password):
        status, _, page = self.request("/accounts/login/")
        assert status == 200, page[:500]
        token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1).decode()
        status, _, page = self.request(
            "/accounts/login/", {"login": username, "password": password, "csrfmiddlewaretoken": token}
        )
        assert status == 200 and self.cookie("sessionid"), f"sign-in failed: {status}"


def test_every_report_kind_through_gunicorn_and_a_worker(world, stack, tmp_path):
    project = world.project
    add_holes(project, lead=world.user("lead"))
    kinds = {
        "management": "Management progress report",
        f"gap:{Assessment.objects.filter(project=project).first().pk}": "Gap-analysis report",
        f"audit:{Audit.objects.filter(project=project, lead_auditor=None).first().pk}": "Audit report",
        f"review:{ManagementReview.objects.filter(project=project).first().pk}": "Management review pack",
    }
    lead = world.user("lead")  # a hash the production hashers verify (tests hash with MD5)
    lead.password = PBKDF2PasswordHasher().encode("smoke-pass-2018", "smokesalt", iterations=1000)
    lead.save(update_fields=["password"])
    browser = Browser(f"http://127.0.0.1:{stack.port}")
    wait_for(lambda: _answers(browser), timeout=60, what="gunicorn to answer")
    browser.sign_in("lead", "smoke-pass-2018")

    # The page serves its hashed stylesheet through WhiteNoise.
    status, _, page = browser.request(f"/projects/{project.pk}/reports/")
    assert status == 200
    css = re.search(rb'href="(/static/css/app\.[0-9a-f]{12}\.css)"', page)
    assert css, "the page does not link the hashed stylesheet"
    assert browser.request(css.group(1).decode())[0] == 200

    for choice in kinds:
        status, _, page = browser.request(f"/projects/{project.pk}/reports/new/", {"report": choice})
        assert status == 200, f"asking for {choice}: {status} {page[:300]!r}"
    reports = list(Report.objects.filter(project=project).order_by("pk"))
    assert len(reports) == len(kinds)

    def all_finished():
        rows = list(Report.objects.filter(project=project).values_list("status", flat=True))
        return all(s in ("done", "failed") for s in rows) and rows

    wait_for(all_finished, timeout=240, interval=0.5, what="the worker to render every report")
    for report, title in zip(reports, kinds.values(), strict=True):
        report.refresh_from_db()
        assert report.status == "done", f"{report.kind}: {report.error}\n{stack.log_text()}"
        status, headers, content = browser.request(f"/projects/{project.pk}/reports/{report.pk}/download/")
        assert status == 200 and headers["Content-Type"] == "application/pdf"
        assert_styled(content, title=title)
        if report.kind == "management":
            _look_at_a_page(content, tmp_path)


def _answers(browser):
    try:
        return browser.request("/healthz/")[0] == 200
    except OSError:
        return False


def _look_at_a_page(content, tmp_path):
    """Page 2 as a PNG: a styled page has the dark-blue section rule and is mostly white paper."""
    from PIL import Image

    (tmp_path / "report.pdf").write_bytes(content)
    subprocess.run(
        [
            "pdftoppm",
            "-png",
            "-r",
            "40",
            "-f",
            "2",
            "-l",
            "2",
            "-singlefile",
            str(tmp_path / "report.pdf"),
            str(tmp_path / "page"),
        ],
        check=True,
        timeout=60,
    )
    image = Image.open(tmp_path / "page.png").convert("RGB")
    pixels = list(image.getdata())
    white = sum(1 for p in pixels if min(p) > 240) / len(pixels)
    heading_blue = sum(1 for r, g, b in pixels if b > 70 and r < 60 and g < 80)  # #1d3557
    assert 0.5 < white < 0.995, f"page 2 is {white:.0%} white"
    assert heading_blue > 20, "no dark-blue heading rule: the stylesheet did not apply"
