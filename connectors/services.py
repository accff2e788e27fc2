"""Writes on connectors: create, edit (versioned), delete, credentials, test connection, ask for a sync."""

import logging
from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kernel.concurrency import lock_for_edit
from kernel.queueing import QueueUnavailable, enqueue, named

from .clients import client_for
from .crypto import CredentialsUnavailable, decrypt_credentials, encrypt_credentials
from .http import AuthRejected, ConnectorError
from .models import Connector, ConnectorKind, RunStatus, SyncRun, SyncState
from .normalise import MalformedData

logger = logging.getLogger(__name__)

QUEUED_LOST_AFTER = timedelta(minutes=30)
LOST_MESSAGE = _("No worker took this sync up (the queued message was lost); a later request replaced it.")
EDITABLE = ("name", "base_url", "scope", "targets", "schedule_enabled", "sync_every_minutes")


def _credentials(username: str, secret: str) -> str:
    try:
        return encrypt_credentials({"username": username or "", "secret": secret})
    except CredentialsUnavailable as error:
        raise ValidationError({"secret": str(error)}) from None


@transaction.atomic
def connector_create(
    *,
    project,
    user,
    kind: str,
    name: str,
    base_url: str = "",
    scope: str = "",
    targets=None,
    schedule_enabled: bool = True,
    sync_every_minutes: int = 60,
    username: str = "",
    secret: str = "",
) -> Connector:
    connector = Connector(
        project=project,
        kind=kind,
        name=name,
        base_url=base_url,
        scope=scope,
        targets=targets or {},
        schedule_enabled=schedule_enabled and kind != ConnectorKind.CSV,
        sync_every_minutes=sync_every_minutes,
    )
    if kind != ConnectorKind.CSV:
        if not base_url:
            raise ValidationError({"base_url": "Give the tool's address, e.g. https://rt.example.com/."})
        if not secret:
            raise ValidationError({"secret": "Give the password, API token or RT auth token."})
        connector.credentials_encrypted = _credentials(username, secret)
    connector.full_clean()
    connector.save()
    logger.info("connector created", extra={"connector": connector.pk, "kind": kind, "user": user.pk})
    return connector


@transaction.atomic
def connector_update(
    *, connector_id: int, expected_version: int | None, user, username: str = "", secret: str = "", **fields
) -> Connector:
    """Edits the settings; the credentials change only when a new secret is given (they are never shown)."""
    connector = lock_for_edit(Connector, connector_id, expected_version=expected_version)
    source = (connector.base_url, connector.scope)
    for name in EDITABLE:
        if name in fields:
            setattr(connector, name, fields[name])
    if secret:
        connector.credentials_encrypted = _credentials(username, secret)
        connector.credentials_rejected = False
    if connector.kind == ConnectorKind.CSV:
        connector.schedule_enabled = False
    if (connector.base_url, connector.scope) != source:
        # Another tool or another selection: the watermark and a half-done run's cursor belong to the
        # old one, so the next sync reads everything again (tickets already here are upserted).
        connector.synced_until, connector.sync_cursor = None, {}
    connector.version += 1
    connector.full_clean()
    connector.save()
    return connector


@transaction.atomic
def connector_delete(*, connector: Connector, user) -> None:
    logger.info("connector deleted", extra={"connector": connector.pk, "user": user.pk})
    connector.delete()


def connector_test(*, connector: Connector) -> tuple[bool, str]:
    """(reachable and accepted, the answer in words) — never a credential in the text."""
    if connector.kind == ConnectorKind.CSV:
        return False, "A file-import connector has nothing to connect to: upload an export instead."
    try:
        client = client_for(
            connector, decrypt_credentials(connector.credentials_encrypted), sleep=lambda s: None
        )
        message = client.test_connection()
    except AuthRejected as error:
        Connector.objects.filter(pk=connector.pk).update(credentials_rejected=True)
        return False, str(error)
    except (ConnectorError, MalformedData, CredentialsUnavailable) as error:
        return False, str(error)
    Connector.objects.filter(pk=connector.pk).update(credentials_rejected=False)
    return True, message


def sync_request(*, connector: Connector, user, trigger: str = "manual") -> SyncRun | None:
    """Queue a sync now: the run, queued, that the worker will take up. A connector already queued or
    running is left as it is, and its run in progress is answered (None when a worker holds the
    connector without a run of this request's making)."""
    if connector.kind == ConnectorKind.CSV:
        raise ValidationError("A file-import connector syncs by uploading a file.")
    now = timezone.now()
    with transaction.atomic():
        updated = (
            Connector.objects.filter(pk=connector.pk)
            .exclude(sync_state=SyncState.RUNNING, claimed_until__gt=now)
            # A message queued long ago and never run was lost by the broker: it may be sent again.
            .exclude(sync_state=SyncState.QUEUED, updated_at__gt=now - QUEUED_LOST_AFTER)
            .update(sync_state=SyncState.QUEUED, last_error="", updated_at=now)
        )
        if not updated:
            return (
                SyncRun.objects.filter(connector=connector, status__in=(RunStatus.QUEUED, RunStatus.RUNNING))
                .order_by("-started_at", "-id")
                .first()
            )
        SyncRun.objects.filter(connector=connector, status=RunStatus.QUEUED).update(
            status=RunStatus.FAILED, finished_at=now, error=str(LOST_MESSAGE)
        )
        run = SyncRun.objects.create(
            connector=connector, status=RunStatus.QUEUED, trigger=trigger, started_at=now
        )
    try:
        # by name: no import circle
        enqueue(named("connectors.tasks.sync_connector"), connector.pk, trigger, run.pk)
    except QueueUnavailable:
        message = "The sync could not be queued (the task broker is unreachable); try again shortly."
        Connector.objects.filter(pk=connector.pk, sync_state=SyncState.QUEUED).update(
            sync_state=SyncState.FAILED, last_error=message
        )
        SyncRun.objects.filter(pk=run.pk).update(status=RunStatus.FAILED, finished_at=now, error=message)
        raise
    run.refresh_from_db()
    return run


def due_connector_ids(now=None) -> list[int]:
    """Scheduled connectors whose interval has passed since their last run started and that nobody holds."""
    from django.db.models import Max, Q

    now = now or timezone.now()
    rows = (
        Connector.objects.filter(schedule_enabled=True, credentials_rejected=False)
        .exclude(kind=ConnectorKind.CSV)
        .exclude(credentials_encrypted="")
        .filter(Q(claimed_until__isnull=True) | Q(claimed_until__lt=now))
        .exclude(sync_state=SyncState.QUEUED, updated_at__gt=now - QUEUED_LOST_AFTER)
        .annotate(last_run=Max("runs__started_at"))
        .values_list("pk", "last_run", "sync_every_minutes")
    )
    return [pk for pk, last, every in rows if last is None or last <= now - timedelta(minutes=every)]
