"""Production settings that keep pages cheap: persistent connections, a shared cache and cached
templates; sessions in PostgreSQL, so signing in does not depend on Redis (issue 19 §1). Read in a
fresh interpreter, as gunicorn would."""

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PROBE = """
import django, json
from django.conf import settings
django.setup()
from django.template import engines
db = settings.DATABASES['default']
loader = engines['django'].engine.template_loaders[0]
print(json.dumps({
    'conn_max_age': db['CONN_MAX_AGE'], 'health': db['CONN_HEALTH_CHECKS'],
    'no_server_cursors': db['DISABLE_SERVER_SIDE_CURSORS'],
    'pool': db.get('OPTIONS', {}).get('pool'), 'cache': settings.CACHES['default']['BACKEND'],
    'cache_location': settings.CACHES['default'].get('LOCATION'),
    'cache_options': settings.CACHES['default'].get('OPTIONS'),
    'axes_handler': settings.AXES_HANDLER,
    'sessions': settings.SESSION_ENGINE, 'loader': type(loader).__module__,
}))
"""
CLEAN = {k: v for k, v in os.environ.items() if k in ("PATH", "HOME", "LANG")}
PRODUCTION = {
    "SECRET_KEY": "s" * 50,
    "ALLOWED_HOSTS": "sms.example.com",
    "DATABASE_URL": "postgres://u@db:5432/sms",
}


def _settings(**env):
    result = subprocess.run(
        [sys.executable, "-c", PROBE],
        cwd=ROOT,
        env={**CLEAN, "DJANGO_SETTINGS_MODULE": "sms_tracker.settings", "SMS_TRACKER_TESTING": "0", **env},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_production_keeps_connections_and_shares_the_cache_in_redis():
    values = _settings(**PRODUCTION, REDIS_URL="redis://cache:6379/0")
    assert values["conn_max_age"] == 300 and values["health"] is True
    assert values["no_server_cursors"] is True
    assert values["pool"] is None
    assert values["cache"] == "django_redis.cache.RedisCache"
    assert values["cache_location"] == "redis://cache:6379/0"
    assert values["cache_options"]["IGNORE_EXCEPTIONS"] is True  # Redis down: a miss, not an error
    assert values["cache_options"]["SOCKET_CONNECT_TIMEOUT"] <= 0.5
    assert values["cache_options"]["SOCKET_TIMEOUT"] <= 1
    assert values["sessions"] == "django.contrib.sessions.backends.db"
    assert values["axes_handler"] == "axes.handlers.database.AxesDatabaseHandler"
    assert values["loader"] == "django.template.loaders.cached"


def test_without_redis_the_cache_is_per_process_memory():
    values = _settings(**PRODUCTION)
    assert values["cache"] == "django.core.cache.backends.locmem.LocMemCache"


def test_debug_opens_a_connection_per_request_unless_told_otherwise():
    assert _settings(DEBUG="1")["conn_max_age"] == 0
    assert _settings(**PRODUCTION, CONN_MAX_AGE="30")["conn_max_age"] == 30


def test_the_psycopg_pool_replaces_persistent_connections_when_asked():
    values = _settings(**PRODUCTION, DATABASE_POOL="1", DATABASE_POOL_MAX="4")
    assert values["conn_max_age"] == 0
    assert values["pool"] == {"min_size": 2, "max_size": 4, "timeout": 10.0}


def test_tests_never_read_a_cache_an_earlier_run_left_in_redis():
    values = _settings(DEBUG="1", SMS_TRACKER_TESTING="1", REDIS_URL="redis://cache:6379/0")
    assert values["cache"] == "django.core.cache.backends.locmem.LocMemCache"
