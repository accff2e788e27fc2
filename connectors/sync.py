"""The sync of one connector: claimed, incremental, idempotent and resumable.

- Claimed: a conditional UPDATE takes the connector for this worker until `claimed_until` (extended
  after every page); a second worker finds it taken and does nothing. A worker that died leaves a
  claim that expires (CONNECTOR_CLAIM_SECONDS).
- Incremental: tickets updated at or after `synced_until` (the newest update time seen by the last
  complete run, the tool's own clock) are read, oldest update first.
- Idempotent: tickets are upserted by (connector, external id); one that did not change is left alone.
- Resumable: each page is stored in its own transaction with the cursor that says where the next page
  starts; a failed run leaves the cursor, and the next run goes on from it. A page that cannot be read
  (malformed, refused) stores nothing, so the tickets of earlier pages and runs stay as they were.
"""

import logging
import os
import socket
import uuid
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from kernel import pagecache

from .clients import client_for
from .crypto import CredentialsUnavailable, decrypt_credentials
from .http import AuthRejected, ConnectorError
from .models import Connector, RunStatus, SyncRun, SyncState, Ticket
from .normalise import MalformedData, TicketData, ticket_fields

logger = logging.getLogger(__name__)

UPDATABLE = [
    "ticket_type",
    "queue",
    "category",
    "title",
    "status",
    "priority",
    "opened_at",
    "resolved_at",
    "closed_at",
    "source_updated_at",
    "reopened_count",
    "is_emergency",
    "change_succeeded",
    "service_name",
    "raw",
    "truncated",
    "fingerprint",
    "updated_at",
]


class ClaimLost(ConnectorError):
    pass


def _worker_id() -> str:
    return f"{socket.gethostname()[:100]}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


def _claim_until():
    return timezone.now() + timedelta(seconds=settings.CONNECTOR_CLAIM_SECONDS)


def claim(connector_id: int, worker: str) -> bool:
    now = timezone.now()
    free = Q(claimed_until__isnull=True) | Q(claimed_until__lt=now)
    return (
        Connector.objects.filter(free, pk=connector_id).update(
            claimed_by=worker, claimed_until=_claim_until(), sync_state=SyncState.RUNNING, updated_at=now
        )
        == 1
    )


def release(connector_id: int, worker: str) -> None:
    Connector.objects.filter(pk=connector_id, claimed_by=worker).update(claimed_by="", claimed_until=None)


def upsert(connector: Connector, tickets: list[TicketData]) -> tuple[int, int, int, datetime | None]:
    """(created, updated, unchanged, newest update time) for one page; two queries and two bulk writes."""
    rows = {}
    for data in tickets:
        values = ticket_fields(data)
        rows[values["external_id"]] = values  # a page that lists a ticket twice keeps the later one
    existing = {
        ext: (pk, fingerprint)
        for pk, ext, fingerprint in Ticket.objects.filter(
            connector=connector, external_id__in=list(rows)
        ).values_list("pk", "external_id", "fingerprint")
    }
    now = timezone.now()
    new, changed, unchanged = [], [], 0
    newest = None
    for ext, values in rows.items():
        if values["source_updated_at"] and (newest is None or values["source_updated_at"] > newest):
            newest = values["source_updated_at"]
        if ext not in existing:
            new.append(Ticket(connector=connector, project_id=connector.project_id, **values))
        elif existing[ext][1] != values["fingerprint"]:
            changed.append(Ticket(pk=existing[ext][0], updated_at=now, **values))
        else:
            unchanged += 1
    Ticket.objects.bulk_create(new, batch_size=500)
    Ticket.objects.bulk_update(changed, UPDATABLE, batch_size=500)
    return len(new), len(changed), unchanged, newest


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


def _when(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None


def run_sync(connector_id: int, *, trigger: str, sleep=None, run_id: int | None = None) -> SyncRun | None:
    """Sync one connector now; None when another worker holds it. `run_id` is the run a request
    queued (connectors.services.sync_request): it is taken up rather than a new one made."""
    worker = _worker_id()
    if not claim(connector_id, worker):
        if run_id is not None:  # another worker is syncing it: that run holds the result
            SyncRun.objects.filter(pk=run_id, status=RunStatus.QUEUED).update(
                status=RunStatus.FAILED,
                finished_at=timezone.now(),
                error=_("Another worker was already syncing this connector: its run holds the result."),
            )
        return None
    connector = Connector.objects.get(pk=connector_id)
    cursor = connector.sync_cursor or {}
    since = _when(cursor["since"]) if cursor.get("since") else connector.synced_until
    started = {"status": RunStatus.RUNNING, "started_at": timezone.now(), "updated_since": since}
    queued = SyncRun.objects.filter(pk=run_id, connector_id=connector_id, status=RunStatus.QUEUED)
    if run_id is not None and queued.update(**started):
        run = SyncRun.objects.get(pk=run_id)
    else:
        run = SyncRun.objects.create(connector=connector, trigger=trigger, **started)
    newest = _when(cursor.get("newest"))
    done = int(cursor.get("done", 0))
    position = cursor.get("position") or {}
    try:
        client = client_for(connector, decrypt_credentials(connector.credentials_encrypted), sleep=sleep)
        Connector.objects.filter(pk=connector.pk).update(sync_done=done, sync_total=None)
        while True:
            page = client.fetch_page(since=since, cursor=position)
            with transaction.atomic():
                created, updated, unchanged, page_newest = upsert(connector, page.tickets)
                if page_newest and (newest is None or page_newest > newest):
                    newest = page_newest
                done += len(page.tickets)
                position = page.next_cursor
                saved = (
                    {"since": _iso(since), "position": position, "newest": _iso(newest), "done": done}
                    if position
                    else {}
                )
                held = Connector.objects.filter(pk=connector.pk, claimed_by=worker).update(
                    sync_cursor=saved, sync_done=done, sync_total=page.total, claimed_until=_claim_until()
                )
                if not held:
                    raise ClaimLost(
                        "Another worker took this connector over (this sync ran longer than its claim)."
                    )
                SyncRun.objects.filter(pk=run.pk).update(
                    pages=run.pages + 1,
                    fetched=run.fetched + len(page.tickets),
                    created=run.created + created,
                    updated=run.updated + updated,
                    unchanged=run.unchanged + unchanged,
                )
                run.pages, run.fetched = run.pages + 1, run.fetched + len(page.tickets)
                run.created, run.updated, run.unchanged = (
                    run.created + created,
                    run.updated + updated,
                    run.unchanged + unchanged,
                )
            if position is None:
                break
        _finish(connector, run, worker, newest=newest or since)
    except (ConnectorError, MalformedData, CredentialsUnavailable, ValueError) as error:
        _fail(connector, run, worker, str(error), rejected=isinstance(error, AuthRejected))
    except Exception as error:
        # Unexpected: recorded without its text (it may quote fetched data); the type goes to the log.
        logger.error(
            "connector sync failed", extra={"connector": connector.pk, "error": type(error).__name__}
        )
        _fail(
            connector,
            run,
            worker,
            f"The sync stopped on an unexpected error ({type(error).__name__}); "
            "it resumes from the last page on the next run.",
        )
        raise
    finally:
        release(connector.pk, worker)
    run.refresh_from_db()
    return run


def _finish(connector, run, worker, *, newest):
    now = timezone.now()
    with transaction.atomic():
        Connector.objects.filter(pk=connector.pk, claimed_by=worker).update(
            synced_until=newest,
            sync_cursor={},
            sync_state=SyncState.SUCCEEDED,
            last_synced_at=now,
            last_error="",
            credentials_rejected=False,
            updated_at=now,
        )
        SyncRun.objects.filter(pk=run.pk).update(status=RunStatus.SUCCEEDED, finished_at=now)
    if run.created or run.updated:
        # The dashboard's ticket figures are drawn inside the project's cached parts.
        pagecache.project_changed(connector.project_id)


def _fail(connector, run, worker, message: str, *, rejected: bool = False):
    now = timezone.now()
    values = {"sync_state": SyncState.FAILED, "last_error": message[:2000], "updated_at": now}
    if rejected:
        values["credentials_rejected"] = True
    Connector.objects.filter(pk=connector.pk).update(**values)
    SyncRun.objects.filter(pk=run.pk).update(status=RunStatus.FAILED, finished_at=now, error=message[:2000])
