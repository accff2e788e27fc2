"""/healthz/ for load balancers: the database, Redis as the task queue and Redis as the cache."""

import logging

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.db import DatabaseError, connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

logger = logging.getLogger(__name__)


def _database_ok() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        return True
    except DatabaseError as error:
        logger.error("healthz: database unreachable (%s: %s)", type(error).__name__, error)
        return False


def _redis_ping(client, what: str) -> bool:
    import redis

    try:
        return bool(client.ping())
    except (redis.RedisError, OSError) as error:
        logger.error("healthz: %s unreachable (%s: %s)", what, type(error).__name__, error)
        return False


def _broker_ok() -> bool:
    import redis

    client = redis.Redis.from_url(settings.REDIS_URL, socket_connect_timeout=1, socket_timeout=1)
    try:
        return _redis_ping(client, "Redis (task queue)")
    finally:
        client.close()


def _cache_ok() -> bool:
    """The cache answers misses while Redis is down (IGNORE_EXCEPTIONS), so ask its server itself."""
    from django_redis import get_redis_connection

    return _redis_ping(get_redis_connection("default"), "Redis (cache)")


@login_not_required
@require_GET
@never_cache
def healthz(request):
    """For load balancers: JSON per dependency; 503 naming what is down (the database, Redis as the
    task queue, Redis as the cache). Answered before the session is read (kernel/outages.py),
    so a probe with a session cookie gets the same answer."""
    checks = {"database": "ok" if _database_ok() else "unreachable"}
    if settings.REDIS_URL:
        checks["redis"] = "ok" if _broker_ok() else "unreachable"
    if settings.CACHES["default"]["BACKEND"].startswith("django_redis."):
        checks["cache"] = "ok" if _cache_ok() else "unreachable"
    healthy = all(state == "ok" for state in checks.values())
    return JsonResponse(
        {"status": "ok" if healthy else "unavailable", "checks": checks}, status=200 if healthy else 503
    )
