"""The one path that keeps the stored phase and project progress up to date.

Every write that may change a phase's progress calls `progress_refresh_on_commit(project_id)`.
Once the transaction commits, the refresh is published to the broker (a worker runs
`projects.tasks.refresh_project_progress`); with the broker down it runs here, in-process; in the
embedded eager mode the publish itself runs it. The refresh locks the project's phase rows before
it reads, so two refreshes run one after the other and the later one sees both writes — a refresh
inside the write's own transaction could not see a concurrent write and would store a stale figure.
Several writes to one project in one transaction schedule a single refresh.
"""

from __future__ import annotations

import logging

from django.db import transaction

from kernel.queueing import QueueUnavailable, enqueue, named

logger = logging.getLogger(__name__)

# By name: projects/tasks.py imports the services, which call this module (no import circle).
REFRESH_TASK = "projects.tasks.refresh_project_progress"


def progress_refresh_on_commit(project_id: int) -> None:
    connection = transaction.get_connection()
    # Already scheduled in this transaction? (run_on_commit holds (savepoint ids, callback, robust).)
    if any(
        getattr(entry[1], "progress_project_id", None) == project_id for entry in connection.run_on_commit
    ):
        return

    def publish():
        try:
            enqueue(named(REFRESH_TASK), project_id)
        except QueueUnavailable:
            # The write is saved; the refresh is a handful of queries: do it here rather than
            # leave the roadmap stale until the next write.
            logger.warning("Broker unreachable; refreshing progress of project %s in-process", project_id)
            named(REFRESH_TASK)(project_id)

    publish.progress_project_id = project_id
    transaction.on_commit(publish)
