"""Rate limits per token (DRF throttling on Django's cache): past the limit, 429 as a problem with
Retry-After; another token of the same user has its own allowance."""

import pytest
from rest_framework.settings import api_settings
from rest_framework.throttling import SimpleRateThrottle

from tests.api.conftest import url

# The counts live in the cache: run with per-process memory and with the Redis cache production uses.
pytestmark = pytest.mark.usefixtures("each_cache")


def test_token_over_its_rate_gets_429(api, world, monkeypatch):
    monkeypatch.setattr(
        SimpleRateThrottle, "THROTTLE_RATES", {**api_settings.DEFAULT_THROTTLE_RATES, "token": "3/minute"}
    )
    client = api(world.user("viewer"))
    statuses = [client.get(url(world.project)).status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    limited = client.get(url(world.project))
    assert limited["Content-Type"] == "application/problem+json" and int(limited["Retry-After"]) > 0
    assert limited.json()["status"] == 429
    assert api(world.user("viewer")).get(url(world.project)).status_code == 200  # a second token
