"""Issue 9 §3: login throttling, health check, CSP and HSTS headers, check --deploy, proxy header."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import OperationalError
from django.test import Client

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parent.parent


# Login throttling ------------------------------------------------------------------------


def _fail(client, username, times, url="/accounts/login/", address="198.51.100.7"):
    statuses = []
    for _ in range(times):
        response = client.post(url, {"login": username, "password": "wrong"}, REMOTE_ADDR=address)
        statuses.append(response.status_code)
    return statuses


def test_site_login_locks_the_account_after_a_few_failures(settings):
    user = UserFactory(username="victim")
    client = Client()
    statuses = _fail(client, "victim", settings.AXES_FAILURE_LIMIT)
    assert statuses[:-1] == [200] * (settings.AXES_FAILURE_LIMIT - 1) and statuses[-1] == 429
    # From another address, even the right password is refused while the account is locked.
    response = client.post(
        "/accounts/login/", {"login": "victim", "password": "pw-for-tests-1"}, REMOTE_ADDR="203.0.113.9"
    )
    assert response.status_code == 429
    assert b"Too many failed sign-ins" in response.content
    assert "_auth_user_id" not in client.session
    assert user.is_active


def test_site_login_locks_the_address_that_tries_many_accounts(settings):
    names = [f"user{i}" for i in range(settings.AXES_FAILURE_LIMIT)]
    for name in names:
        UserFactory(username=name)
    client = Client()
    statuses = [_fail(client, name, 1, address="192.0.2.50")[0] for name in names]
    assert statuses[-1] == 429
    other = UserFactory(username="innocent")
    # Another address still signs in.
    response = Client().post(
        "/accounts/login/",
        {"login": other.username, "password": "pw-for-tests-1"},
        REMOTE_ADDR="192.0.2.51",
    )
    assert response.status_code == 302


def test_admin_login_is_the_site_login_so_it_is_throttled_too(settings):
    UserFactory(username="boss", is_staff=True, is_superuser=True)
    client = Client()
    # The admin has no password form of its own: it sends people to the site's sign-in (MFA included).
    for response in (client.get("/admin/login/"), client.post("/admin/login/", {"username": "boss"})):
        assert response.status_code == 302 and response["Location"].startswith("/accounts/login/?next=")
    statuses = _fail(client, "boss", settings.AXES_FAILURE_LIMIT)
    assert statuses[-1] == 429


def test_a_success_before_the_limit_resets_the_count(settings):
    UserFactory(username="clumsy")
    client = Client()
    _fail(client, "clumsy", settings.AXES_FAILURE_LIMIT - 1)
    ok = client.post(
        "/accounts/login/", {"login": "clumsy", "password": "pw-for-tests-1"}, REMOTE_ADDR="198.51.100.7"
    )
    assert ok.status_code == 302
    client.post("/accounts/logout/")
    assert _fail(client, "clumsy", 1) == [200]


# Health check -----------------------------------------------------------------------------


def test_healthz_is_503_when_the_database_is_unreachable(client, settings, monkeypatch):
    from kernel import health as views

    settings.REDIS_URL = ""

    def broken():
        raise OperationalError("connection refused")

    monkeypatch.setattr(views.connection, "cursor", broken)
    response = client.get("/healthz/")
    assert response.status_code == 503
    assert response.json() == {"status": "unavailable", "checks": {"database": "unreachable"}}


def test_healthz_checks_redis_when_configured(client, settings):
    settings.REDIS_URL = "redis://127.0.0.1:1/0"  # nothing listens there
    response = client.get("/healthz/")
    assert response.status_code == 503
    assert response.json()["checks"] == {"database": "ok", "redis": "unreachable"}


def test_healthz_reports_redis_ok(client, settings):
    from tests.conftest import need_service

    url = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0")
    need_service("Redis", url, 6379)
    settings.REDIS_URL = url
    response = client.get("/healthz/")
    assert response.status_code == 200 and response.json()["checks"]["redis"] == "ok"


# Headers and deployment checks -------------------------------------------------------------


def test_html_pages_carry_a_strict_content_security_policy(world, client):
    client.force_login(world.user("lead"))
    response = client.get(f"/projects/{world.project.pk}/")
    policy = response["Content-Security-Policy"]
    directives = dict(part.strip().split(" ", 1) for part in policy.split(";") if part.strip())
    assert directives["script-src"] == "'self'"
    assert directives["style-src"] == "'self'"
    assert "unsafe" not in policy
    assert directives["frame-ancestors"] == "'none'" and directives["object-src"] == "'none'"


def _production_env(**extra):
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": os.environ.get("HOME", "/tmp"),
        "DEBUG": "0",
        "SMS_TRACKER_TESTING": "0",
        "SECRET_KEY": secrets.token_urlsafe(64),
        "ALLOWED_HOSTS": "sms.example.com",
        "DATABASE_URL": os.environ.get("DATABASE_URL", "sqlite:///:memory:"),
    }
    env.update(extra)
    return env


def _django(code, env):
    return subprocess.run(
        [
            sys.executable,
            "-c",
            "import django, os; os.environ.setdefault('DJANGO_SETTINGS_MODULE', "
            "'sms_tracker.settings'); django.setup(); " + code,
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_check_deploy_is_clean_with_production_settings():
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=_production_env(),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "WARNING" not in result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_production_sends_a_year_of_hsts_and_ignores_forwarded_proto_by_default():
    code = (
        "from django.conf import settings as s; "
        "print(s.SECURE_HSTS_SECONDS, s.SECURE_HSTS_INCLUDE_SUBDOMAINS, s.SECURE_PROXY_SSL_HEADER)"
    )
    result = _django(code, _production_env())
    assert result.stdout.split() == ["31536000", "True", "None"], result.stderr
    behind_proxy = _django(code, _production_env(SECURE_PROXY_SSL_HEADER="1"))
    assert behind_proxy.stdout.split()[-2:] == ["('HTTP_X_FORWARDED_PROTO',", "'https')"], behind_proxy.stderr


def test_a_forged_forwarded_proto_does_not_make_a_request_secure(client, settings):
    from django.test import RequestFactory

    assert settings.SECURE_PROXY_SSL_HEADER is None
    request = RequestFactory().get("/", HTTP_X_FORWARDED_PROTO="https")
    assert request.is_secure() is False


def test_behind_a_proxy_the_forwarded_address_is_locked_not_the_proxy(settings):
    settings.TRUSTED_PROXY_COUNT = 1
    names = [f"p{i}" for i in range(settings.AXES_FAILURE_LIMIT)]
    for name in names:
        UserFactory(username=name)
    proxy = "10.0.0.2"
    client = Client()
    for name in names:  # one attacker behind the proxy, who also forges an X-Forwarded-For entry
        client.post(
            "/accounts/login/",
            {"login": name, "password": "wrong"},
            REMOTE_ADDR=proxy,
            HTTP_X_FORWARDED_FOR="1.2.3.4, 198.51.100.66",
        )
    locked = Client().post(
        "/accounts/login/",
        {"login": "p0", "password": "pw-for-tests-1"},
        REMOTE_ADDR=proxy,
        HTTP_X_FORWARDED_FOR="198.51.100.66",
    )
    assert locked.status_code == 429
    other = UserFactory(username="neighbour")
    fine = Client().post(
        "/accounts/login/",
        {"login": other.username, "password": "pw-for-tests-1"},
        REMOTE_ADDR=proxy,
        HTTP_X_FORWARDED_FOR="203.0.113.77",
    )
    assert fine.status_code == 302  # another client behind the same proxy is not locked out


def test_production_redirects_plain_http_except_the_health_check():
    result = _django(
        "from django.conf import settings as s; import re; "
        "print(s.SECURE_SSL_REDIRECT, any(re.search(p, 'healthz/') for p in s.SECURE_REDIRECT_EXEMPT), "
        "any(re.search(p, 'projects/') for p in s.SECURE_REDIRECT_EXEMPT))",
        _production_env(),
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["True", "True", "False"]
