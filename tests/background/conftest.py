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
    saved = (app.conf.task_always_eager, app.conf.broker_url, app.conf.task_default_queue)
    app.conf.task_always_eager, app.conf.broker_url = False, broker_url()
    app.conf.task_default_queue = pool.queue
    yield pool
    pool.stop_all()
    app.conf.task_always_eager, app.conf.broker_url, app.conf.task_default_queue = saved
    pool.forget_queue()
