"""Thin tasks: ids in, the sync service does the work (connectors/sync.py)."""

from celery import shared_task

from . import services, sync
from .models import RunTrigger


@shared_task(acks_late=True, ignore_result=True, soft_time_limit=3000, time_limit=3600)
def sync_connector(connector_id: int, trigger: str = RunTrigger.MANUAL, run_id: int | None = None) -> None:
    sync.run_sync(connector_id, trigger=trigger, run_id=run_id)


@shared_task(ignore_result=True)
def connectors_sweep() -> int:
    """Beat: queue a sync for every connector that is due."""
    from .models import Connector

    ids = services.due_connector_ids()
    for connector in Connector.objects.filter(pk__in=ids):
        services.sync_request(connector=connector, user=None, trigger=RunTrigger.SCHEDULE)
    return len(ids)
