"""Publishing tasks to the broker, with a clear error when it cannot be reached.

Each publish opens its own connection from the current broker URL, so a broker that went
away fails fast (short publish retries, see settings) instead of hanging the request.
"""

from kombu.exceptions import OperationalError

from sms_tracker.celery import app


class QueueUnavailable(RuntimeError):
    pass


def enqueue(task, *args, **kwargs) -> None:
    if app.conf.task_always_eager:
        task.apply_async(args=args, kwargs=kwargs)
        return
    try:
        with app.connection_for_write() as connection:
            task.apply_async(
                args=args,
                kwargs=kwargs,
                connection=connection,
                queue=app.conf.task_default_queue,
                retry=True,
                retry_policy=app.conf.task_publish_retry_policy,
            )
    except (OperationalError, OSError) as error:
        raise QueueUnavailable(str(error)) from error
