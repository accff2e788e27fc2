"""Stateless web replicas (issue 22 §2): two gunicorn instances behind nginx share everything that
must be shared through PostgreSQL, Redis and the S3 bucket. Signed in through one, a user keeps
working through the other; a file uploaded through one downloads through the other; a write through
one shows at once through the other although the page part is cached; a report asked for through
one is rendered by the worker and downloads through both. The same run measures requests per second
with one and with two replicas (bench/replicas.py)."""

import json
import os
import re
import subprocess
import uuid
from collections import Counter
from pathlib import Path

import pytest
import requests
from django.contrib.auth.hashers import PBKDF2PasswordHasher

from projects.models import Task, TaskAttachment
from reports.models import Report
from tests.background.workers import broker_url, wait_for
from tests.factories import PDF_BYTES

pytestmark = [pytest.mark.stack, pytest.mark.timeout(600)]
PASSWORD = "stack-pass-2026"


def _url(port, path):
    return f"http://127.0.0.1:{port}{path}"


def _answers(port):
    try:
        return requests.get(_url(port, "/healthz/"), timeout=15).status_code == 200
    except requests.RequestException:  # not listening yet, or still booting its workers
        return False


def _post(session, port, path, data, files=None, headers=None):
    return session.post(
        _url(port, path),
        data=data,
        files=files,
        headers={"X-CSRFToken": session.cookies.get("csrftoken", ""), **(headers or {})},
        timeout=60,
    )


def _try_sign_in(session, port, username="lead", password=PASSWORD):
    page = session.get(_url(port, "/accounts/login/"), timeout=30)
    assert page.status_code == 200, page.text[:300]
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
    return _post(
        session,
        port,
        "/accounts/login/",
        {"login": username, "password": password, "csrfmiddlewaretoken": token},
    )


def _sign_in(session, port):
    signed = _try_sign_in(session, port)
    assert signed.status_code == 200 and session.cookies.get("sessionid"), signed.status_code


def _cached_parts(stack):
    import redis

    client = redis.Redis.from_url(broker_url())
    try:
        return list(client.scan_iter(f"{stack.cache_prefix}:*pagecache:part:*", count=1000))
    finally:
        client.close()


def test_two_replicas_behind_nginx_share_sessions_files_cache_and_reports(
    transactional_db, world, replica_stack, tmp_path
):
    stack = replica_stack
    project = world.project
    lead = world.user("lead")  # a hash the production hashers verify (tests hash with MD5)
    lead.password = PBKDF2PasswordHasher().encode(PASSWORD, "stacksalt", iterations=1000)
    lead.save(update_fields=["password"])
    for port in (stack.a, stack.b, stack.two, stack.one):
        wait_for(
            lambda port=port: _answers(port),
            timeout=90,
            interval=0.3,
            what=f"port {port} to answer\n{stack.log_text()}",
        )
    a, b = stack.a, stack.b
    tasks_page = f"/projects/{project.pk}/tasks/"

    # Signed in through A, the same session cookie works through B (sessions in PostgreSQL).
    session = requests.Session()
    _sign_in(session, a)
    through_b = session.get(_url(b, tasks_page), timeout=30, allow_redirects=False)
    assert through_b.status_code == 200 and project.name in through_b.text

    # nginx spreads requests round robin over both replicas.
    answered = Counter(
        session.get(_url(stack.two, tasks_page), timeout=30).headers["X-Upstream"] for _ in range(8)
    )
    assert answered == {f"127.0.0.1:{a}": 4, f"127.0.0.1:{b}": 4}, answered

    # A write through A shows at once through B, although B serves the task list's part from Redis.
    session.get(_url(b, tasks_page), timeout=30)
    assert _cached_parts(stack), "the task list's part was not cached in the shared Redis"
    title = f"Calibrate the gauges {uuid.uuid4().hex[:8]}"
    assert title not in session.get(_url(b, tasks_page), timeout=30).text
    created = _post(
        session,
        a,
        f"/projects/{project.pk}/tasks/new/",
        {
            "phase_id": project.phases.order_by("order").first().pk,
            "title": title,
            "priority": "medium",
            "assignee": "",
            "due_date": "",
        },
        headers={"HX-Request": "true"},
    )
    assert created.status_code == 200, created.text[:500]
    assert title in session.get(_url(b, tasks_page), timeout=30).text

    # Uploaded through B, downloaded through A: the same bytes, kept in the bucket only.
    task = Task.objects.get(project=project, title=title)
    content = PDF_BYTES + uuid.uuid4().bytes * 5000
    uploaded = _post(
        session,
        b,
        f"/projects/{project.pk}/tasks/{task.pk}/attachments/",
        {},
        files={"file": ("gauges.pdf", content, "application/pdf")},
    )
    assert uploaded.status_code == 200 and "attached" in uploaded.text, uploaded.text[:500]
    attachment = TaskAttachment.objects.get(task=task)
    assert stack.s3.keys(stack.bucket)[attachment.file.name] == len(content)
    download = f"/projects/{project.pk}/tasks/{task.pk}/attachments/{attachment.pk}/"
    assert session.get(_url(a, download), timeout=60).content == content
    assert session.get(_url(b, download), timeout=60).content == content

    # A report asked for through A is rendered by the worker and downloads through both.
    asked = _post(session, a, f"/projects/{project.pk}/reports/new/", {"report": "management"})
    assert asked.status_code == 200, asked.text[:500]
    report = Report.objects.get(project=project)

    def finished():
        report.refresh_from_db()
        return report.status in ("done", "failed")

    wait_for(finished, timeout=240, interval=0.5, what=f"the worker to render the report\n{stack.log_text()}")
    assert report.status == "done", f"{report.error}\n{stack.log_text()}"
    assert report.file.name in stack.s3.keys(stack.bucket)
    pdfs = [
        session.get(_url(port, f"/projects/{project.pk}/reports/{report.pk}/download/"), timeout=60)
        for port in (a, b)
    ]
    assert all(p.status_code == 200 and p.headers["Content-Type"] == "application/pdf" for p in pdfs)
    assert pdfs[0].content == pdfs[1].content
    (tmp_path / "report.pdf").write_bytes(pdfs[0].content)
    text = subprocess.run(
        ["pdftotext", str(tmp_path / "report.pdf"), "-"],
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    ).stdout
    assert "Management progress report" in text and project.name in text

    # Nothing landed on any process's local disk.
    assert stack.local_files() == []

    _measure(stack, session, tasks_page)

    # Wrong passwords counted on both replicas add up (rows in PostgreSQL, not process memory): after
    # three through A and two through B, the right password is refused through either. Last, as the
    # lockout also holds for the address every request here comes from.
    viewer = world.user("viewer")
    viewer.password = PBKDF2PasswordHasher().encode(PASSWORD, "stacksalt", iterations=1000)
    viewer.save(update_fields=["password"])
    for port in (a, b, a, b, a):
        wrong = _try_sign_in(requests.Session(), port, "viewer", "not-the-password")
        assert wrong.status_code in (200, 429) and not wrong.history, wrong.status_code
    for port in (a, b):
        refused = _try_sign_in(requests.Session(), port, "viewer", PASSWORD)
        assert refused.status_code == 429, refused.status_code


def _measure(stack, session, path):
    """Requests per second through nginx with one replica and with two (bench/replicas.py)."""
    from bench.replicas import compare

    figures = compare(
        _url(stack.one, ""),
        _url(stack.two, ""),
        path,
        {"sessionid": session.cookies["sessionid"]},
        clients=int(os.environ.get("STACK_BENCH_CLIENTS", 8)),
        seconds=float(os.environ.get("STACK_BENCH_SECONDS", 2)),
        rounds=int(os.environ.get("STACK_BENCH_ROUNDS", 1)),
    )
    print("replicas benchmark:", json.dumps(figures))
    if os.environ.get("STACK_BENCH_OUT"):
        Path(os.environ["STACK_BENCH_OUT"]).write_text(json.dumps(figures, indent=2) + "\n")
    assert figures["one_replica_rps"] > 0 and figures["two_replicas_rps"] > 0
