"""`make run` for a newcomer: another port works, the sign-in page names the demo logins (in
DEBUG only), the browser finds a favicon, and the console prints each log line once."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command

ROOT = Path(__file__).resolve().parent.parent


def _python(code: str, **env) -> subprocess.CompletedProcess:
    environment = {k: v for k, v in os.environ.items() if k not in ("SITE_URL", "PORT")}
    environment.update({"DJANGO_SETTINGS_MODULE": "sms_tracker.settings", "DEBUG": "1", **env})
    return subprocess.run(
        [sys.executable, "-c", "import django; django.setup()\n" + code],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )


def test_make_run_serves_on_the_port_given():
    out = subprocess.run(
        ["make", "-n", "run", "PORT=8001"], cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert "runserver 127.0.0.1:8001" in out.stdout
    assert "PORT=8001" in out.stdout


def test_site_url_follows_the_port_unless_given():
    code = "from django.conf import settings; print(settings.SITE_URL)"
    assert _python(code, PORT="8001").stdout.strip() == "http://127.0.0.1:8001"
    assert _python(code).stdout.strip() == "http://127.0.0.1:8000"
    assert (
        _python(code, PORT="8001", SITE_URL="https://sms.example.com/").stdout.strip()
        == "https://sms.example.com"
    )


def test_a_django_warning_reaches_the_console_once():
    result = _python(
        "import logging\n"
        "logging.getLogger('django.request').warning('Not Found: /nowhere')\n"
        "logging.getLogger('django.server').info('\"GET / HTTP/1.1\" 200 5')\n"
    )
    assert result.stderr.count("Not Found: /nowhere") == 1
    assert result.stderr.count('"GET / HTTP/1.1" 200 5') == 1


def test_favicon_is_served_at_the_root(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/x-icon"


@pytest.mark.django_db
def test_sign_in_page_names_the_demo_logins_in_debug(client, settings):
    settings.DEBUG = True
    call_command("seed_demo", stdout=open(os.devnull, "w"))
    page = client.get("/accounts/login/").content.decode()
    assert 'data-testid="demo-logins"' in page
    for login in ("lead", "contributor", "auditor", "viewer", "outsider"):
        assert f"<code>{login}</code>" in page
    assert settings.DEMO_PASSWORD in page


@pytest.mark.django_db
def test_sign_in_page_never_names_them_with_debug_off(client, settings):
    settings.DEBUG = True
    call_command("seed_demo", stdout=open(os.devnull, "w"))
    settings.DEBUG = False
    page = client.get("/accounts/login/").content.decode()
    assert "demo-logins" not in page
    assert settings.DEMO_PASSWORD not in page


@pytest.mark.django_db
def test_no_demo_block_without_demo_accounts(client, settings):
    settings.DEBUG = True
    assert "demo-logins" not in client.get("/accounts/login/").content.decode()
