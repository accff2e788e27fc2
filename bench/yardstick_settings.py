"""The project's settings plus the benchmark's yardstick pages (bench/yardstick_urls.py).

Only the page benchmark uses these settings: the yardsticks are served by the same processes, middleware,
template engine and database as the pages they measure, and never exist in the product."""

from sms_tracker.settings import *  # noqa: F403
from sms_tracker.settings import BASE_DIR, TEMPLATES

ROOT_URLCONF = "yardstick_urls"
TEMPLATES[0]["DIRS"] = [*TEMPLATES[0]["DIRS"], BASE_DIR / "bench" / "templates"]
