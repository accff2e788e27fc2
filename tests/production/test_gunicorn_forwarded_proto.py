"""Issue 19 defect 11: gunicorn believed X-Forwarded-Proto from 127.0.0.1 (its default) even when
Django is told not to (SECURE_PROXY_SSL_HEADER off), so a client on the host passed as HTTPS.
gunicorn runs here with the project's configuration file and a WSGI app that answers the scheme
it sees."""

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
APP = (
    "def app(environ, start_response):\n"
    "    start_response('200 OK', [])\n"
    "    return [environ['wsgi.url_scheme'].encode()]\n"
)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def scheme_seen(tmp_path, proxy_header: str | None) -> str:
    (tmp_path / "scheme_app.py").write_text(APP)
    port = _free_port()
    env = {
        **os.environ,
        "GUNICORN_BIND": f"127.0.0.1:{port}",
        "WEB_CONCURRENCY": "1",
        "GUNICORN_THREADS": "1",
    }
    env.pop("SECURE_PROXY_SSL_HEADER", None)
    env.pop("FORWARDED_ALLOW_IPS", None)
    if proxy_header is not None:
        env["SECURE_PROXY_SSL_HEADER"] = proxy_header
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "-c",
            "python:sms_tracker.gunicorn_conf",
            "--pythonpath",
            str(tmp_path),
            "scheme_app:app",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        request = urllib.request.Request(f"http://127.0.0.1:{port}/", headers={"X-Forwarded-Proto": "https"})
        deadline = time.monotonic() + 30
        while True:
            try:
                with urllib.request.urlopen(request, timeout=5) as response:
                    return response.read().decode()
            except OSError:
                if time.monotonic() > deadline or server.poll() is not None:
                    raise
                time.sleep(0.2)
    finally:
        server.terminate()
        server.wait(timeout=20)


def test_without_the_proxy_setting_a_forwarded_https_from_localhost_is_not_believed(tmp_path):
    assert scheme_seen(tmp_path, None) == "http"


def test_with_the_proxy_setting_the_local_proxy_is_believed(tmp_path):
    assert scheme_seen(tmp_path, "1") == "https"


@pytest.mark.parametrize(
    "setting,trusted",
    [(None, ""), ("0", ""), ("False", ""), ("off", ""), ("1", "127.0.0.1,::1"), ("true", "127.0.0.1,::1")],
)
def test_gunicorn_reads_the_setting_as_django_does(monkeypatch, setting, trusted):
    import importlib

    import environ

    monkeypatch.delenv("FORWARDED_ALLOW_IPS", raising=False)
    if setting is None:
        monkeypatch.delenv("SECURE_PROXY_SSL_HEADER", raising=False)
    else:
        monkeypatch.setenv("SECURE_PROXY_SSL_HEADER", setting)
    from sms_tracker import gunicorn_conf

    assert importlib.reload(gunicorn_conf).forwarded_allow_ips == trusted
    assert bool(trusted) == environ.Env().bool("SECURE_PROXY_SSL_HEADER", default=False)
