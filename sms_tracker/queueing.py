"""Publishing tasks to the broker, with a clear error when it cannot be reached.

Publishes reuse a pooled producer (kombu's pools, one pool per broker URL, so a URL changed at
run time gets its own): the busiest caller, an answer save that changes progress, used to open a new
Redis connection each time. A broker that went away still fails fast: the publish retries a few
times on the pooled connection (short retries and socket timeouts, see settings) and then says so.
"""

from kombu import pools
from kombu.exceptions import OperationalError

from .celery import app


class QueueUnavailable(RuntimeError):
    pass


def enqueue(task, *args, **kwargs) -> None:
    if app.conf.task_always_eager:
        task.apply_async(args=args, kwargs=kwargs)
        return
    try:
        # The connection object is only the key of its pool (nothing is opened until a publish).
        with pools.producers[app.connection_for_write()].acquire(block=True, timeout=5) as producer:
            task.apply_async(
                args=args,
                kwargs=kwargs,
                producer=producer,
                queue=app.conf.task_default_queue,
                retry=True,
                retry_policy=app.conf.task_publish_retry_policy,
            )
    except (OperationalError, OSError) as error:
        raise QueueUnavailable(str(error)) from error
