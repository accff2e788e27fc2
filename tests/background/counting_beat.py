"""`celery beat` (or a worker) with one counting entry: every second beat sends `tests.count_tick`, which
adds one to a Redis key. Run as `python -m tests.background.counting_beat beat|worker ...` with
COUNT_KEY and COUNT_QUEUE set; the rest of the configuration is the app's own (the Redis lock included)."""

import os
import sys

import redis

from sms_tracker.celery import app


@app.task(name="tests.count_tick")
def count_tick(key: str) -> int:
    client = redis.Redis.from_url(app.conf.broker_url)
    try:
        return client.incr(key)
    finally:
        client.close()


if __name__ == "__main__":
    app.conf.beat_schedule = {
        "count": {
            "task": "tests.count_tick",
            "schedule": 1.0,
            "args": [os.environ["COUNT_KEY"]],
            "options": {"queue": os.environ["COUNT_QUEUE"]},
        }
    }
    app.start(sys.argv[1:])
