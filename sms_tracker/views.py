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
    except DatabaseError:
        logger.exception("healthz: database unreachable")
        return False


def _redis_ok() -> bool:
    import redis

    try:
        client = redis.Redis.from_url(settings.REDIS_URL, socket_connect_timeout=1, socket_timeout=1)
        try:
            return bool(client.ping())
        finally:
            client.close()
    except (redis.RedisError, OSError):
        logger.exception("healthz: Redis unreachable")
        return False


@login_not_required
@require_GET
@never_cache
def healthz(request):
    """For load balancers: JSON per dependency; 503 when the database or (if configured) Redis is down."""
    checks = {"database": "ok" if _database_ok() else "unreachable"}
    if settings.REDIS_URL:
        checks["redis"] = "ok" if _redis_ok() else "unreachable"
    healthy = all(state == "ok" for state in checks.values())
    return JsonResponse(
        {"status": "ok" if healthy else "unavailable", "checks": checks}, status=200 if healthy else 503
    )
