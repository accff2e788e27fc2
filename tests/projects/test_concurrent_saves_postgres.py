"""Two saves of the same task at the same moment, on PostgreSQL: exactly one wins.

The row lock in `lock_for_edit` makes the second transaction wait, then see the new version.
"""

import threading

import pytest
from django.db import connection, connections

from kernel.concurrency import EditConflict
from projects import services
from projects.models import Task
from tests.conftest import service_missing
from tests.factories import make_task

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_simultaneous_saves_with_the_same_version_let_exactly_one_win(world):
    if connection.vendor != "postgresql":
        service_missing("row locks need PostgreSQL (DATABASE_URL); SQLite serialises whole transactions")
    task = make_task(world.project, title="Original")
    barrier = threading.Barrier(2)
    outcomes = []

    def save(title, user):
        try:
            barrier.wait(timeout=10)
            services.task_update(task=task, user=user, expected_version=1, title=title)
            outcomes.append(("saved", title))
        except EditConflict:
            outcomes.append(("conflict", title))
        finally:
            connections.close_all()

    threads = [
        threading.Thread(target=save, args=("From lead", world.user("lead"))),
        threading.Thread(target=save, args=("From contributor", world.user("contributor"))),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert sorted(kind for kind, _ in outcomes) == ["conflict", "saved"]
    winner = next(title for kind, title in outcomes if kind == "saved")
    task = Task.objects.get(pk=task.pk)
    assert task.title == winner and task.version == 2
