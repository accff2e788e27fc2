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
import threading

from django.db import transaction

from kernel import pagecache
from kernel.queueing import QueueUnavailable, enqueue, named

logger = logging.getLogger(__name__)

# By name: projects/tasks.py imports the services, which call this module (no import circle).
REFRESH_TASK = "projects.tasks.refresh_project_progress"


class _Pending:
    """The refresh owed to one project by the transaction in progress: every write registers its own
    commit callback (a savepoint rolled back drops its own), and the first that runs publishes."""

    def __init__(self, project_id):
        self.project_id, self.published = project_id, False


_pending = threading.local()


def progress_refresh_on_commit(project_id: int) -> None:
    # The write path every save of a project takes: its cached page parts go (one key), now and
    # once the transaction commits (kernel/pagecache.py).
    pagecache.project_changed(project_id)
    owed = _pending.__dict__.setdefault("by_project", {})
    pending = owed.setdefault(project_id, _Pending(project_id))

    def publish():
        if pending.published:
            return  # several writes to one project in one transaction: one refresh
        pending.published = True
        if owed.get(project_id) is pending:
            del owed[project_id]
        try:
            enqueue(named(REFRESH_TASK), project_id)
        except QueueUnavailable:
            # The write is saved; the refresh is a handful of queries: do it here rather than
            # leave the roadmap stale until the next write.
            logger.warning("Broker unreachable; refreshing progress of project %s in-process", project_id)
            named(REFRESH_TASK)(project_id)

    transaction.on_commit(publish)
