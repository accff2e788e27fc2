import pytest

from sms_tracker.celery import app
from tests.background.workers import Workers, broker_url, need_shared_database
from tests.conftest import need_service


@pytest.fixture
def workers(transactional_db, django_db_serialized_rollback, media, tmp_path):
    """Start real `celery worker` processes on a queue of this test's own; stopped at the end.

    The workers must see committed rows, so the test commits; the serialized rollback puts back the
    rows the migrations ship (the checklist template, the mandatory items) for the tests after it.
    """
    need_service("Redis", broker_url(), 6379)
    need_shared_database()
    pool = Workers(tmp_path)
    names = ("task_always_eager", "broker_url", "task_default_queue", "queue_prefix")
    saved = {name: app.conf[name] for name in names}
    app.conf.task_always_eager, app.conf.broker_url = False, broker_url()
    app.conf.task_default_queue, app.conf.queue_prefix = pool.queue, pool.queue_prefix
    yield pool
    pool.stop_all()
    for name, value in saved.items():
        app.conf[name] = value
    pool.forget_queue()
