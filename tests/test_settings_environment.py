"""Settings come from the environment with embedded defaults; production refuses unsafe defaults."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PROBE = (
    "import django, json; from django.conf import settings; django.setup(); "
    "print(json.dumps({'engine': settings.DATABASES['default']['ENGINE'], "
    "'eager': settings.CELERY_TASK_ALWAYS_EAGER, "
    "'broker': settings.CELERY_BROKER_URL, 'email': settings.EMAIL_BACKEND, 'debug': settings.DEBUG, "
    "'secure_cookie': settings.SESSION_COOKIE_SECURE, 'csrf_secure': settings.CSRF_COOKIE_SECURE}))"
)
CLEAN = {k: v for k, v in os.environ.items() if k in ("PATH", "HOME", "LANG")}


def _run(**env):
    return subprocess.run(
        [sys.executable, "-c", PROBE],
        cwd=ROOT,
        env={**CLEAN, "DJANGO_SETTINGS_MODULE": "sms_tracker.settings", "SMS_TRACKER_TESTING": "0", **env},
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_embedded_defaults_with_debug(tmp_path):
    result = _run(DEBUG="1")
    assert result.returncode == 0, result.stderr
    import json

    values = json.loads(result.stdout)
    assert values["engine"] == "django.db.backends.sqlite3"
    assert values["eager"] is True
    assert values["email"] == "django.core.mail.backends.console.EmailBackend"
    assert values["debug"] is True


def test_database_and_redis_urls_switch_to_real_services():
    result = _run(DEBUG="1", DATABASE_URL="postgres://u@db:5432/sms", REDIS_URL="redis://cache:6379/0")
    assert result.returncode == 0, result.stderr
    import json

    values = json.loads(result.stdout)
    assert values["engine"] == "django.db.backends.postgresql"
    assert values["eager"] is False and values["broker"] == "redis://cache:6379/0"


def test_debug_is_off_unless_asked_and_then_secrets_are_required():
    result = _run()
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_allowed_hosts_are_required_outside_debug():
    result = _run(SECRET_KEY="x" * 50)
    assert result.returncode != 0
    assert "ALLOWED_HOSTS must be set" in result.stderr


def test_production_settings_use_secure_cookies(tmp_path):
    secret_file = tmp_path / "secret"
    secret_file.write_text("s" * 50)
    result = _run(SECRET_KEY_FILE=str(secret_file), ALLOWED_HOSTS="sms.example.com")
    assert result.returncode == 0, result.stderr
    import json

    values = json.loads(result.stdout)
    assert values["debug"] is False and values["secure_cookie"] is True and values["csrf_secure"] is True
