"""Publishing tasks to the broker, with a clear error when it cannot be reached.

Publishes reuse a pooled producer (a kombu producer pool per broker URL and process, so a URL
changed at run time gets its own): the busiest caller, an answer save that changes progress, used
to open a new Redis connection each time. A broker that went away still fails fast: the publish retries a few
times on the pooled connection (short retries and socket timeouts, see settings) and then says so.
"""

import importlib
import os

from kombu.exceptions import OperationalError
from kombu.pools import ProducerPool

from sms_tracker.celery import app

POOL_LIMIT = 10  # connections per process and broker URL; a sync web worker uses one
_producer_pools: dict[str, ProducerPool] = {}
# A forked child (gunicorn worker, Celery pool process) must not share its parent's sockets.
os.register_at_fork(after_in_child=_producer_pools.clear)


def _producer_pool() -> ProducerPool:
    """The producer pool of the current broker URL, built once per URL and process (building a
    Connection alone takes milliseconds). Connections open lazily, on the first publish."""
    url = app.conf.broker_url
    pool = _producer_pools.get(url)
    if pool is None:
        connection = app.connection_for_write()
        pool = _producer_pools[url] = ProducerPool(connection.Pool(limit=POOL_LIMIT), limit=POOL_LIMIT)
    return pool


class QueueUnavailable(RuntimeError):
    pass


def named(name: str):
    """The task registered under `name`: a service queues (or, with the broker down, runs) its own
    task without importing the tasks module, which imports the service (no import circle). The
    task's module is imported on first use, as a worker's autodiscovery would."""
    if name not in app.tasks:
        importlib.import_module(name.rpartition(".")[0])
    return app.tasks[name]


def enqueue(task, *args, **kwargs) -> None:
    if app.conf.task_always_eager:
        task.apply_async(args=args, kwargs=kwargs)
        return
    try:
        with _producer_pool().acquire(block=True, timeout=5) as producer:
            task.apply_async(
                args=args,
                kwargs=kwargs,
                producer=producer,
                # No queue here: the router (sms_tracker/celery.py) sends each kind to its own queue.
                retry=True,
                retry_policy=app.conf.task_publish_retry_policy,
            )
    except (OperationalError, OSError) as error:
        raise QueueUnavailable(str(error)) from error
