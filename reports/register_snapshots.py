"""Register snapshots, the reports layer's part (issue 23 §2): queue the rendering after the request
commits, and the task that renders a snapshot's PDF (the same WeasyPrint set-up as every report)
and hands it to registers.snapshots.snapshot_file, which files it in the document register. A
rendering that raises fails the snapshot with the reason (the page offers "Try again"); the sweep
(`recover_stale_register_snapshots`, every five minutes like the reports') retries or fails a
snapshot whose worker died (the delivery machine's `sweep_stuck`, kernel/delivery.py) or whose
queue message was lost."""

from __future__ import annotations

import logging

from celery import shared_task
from celery.exceptions import SoftTimeLimitExceeded
from django.db import transaction
from django.utils.translation import gettext as _

from kernel.queueing import QueueUnavailable, enqueue
from registers import snapshots
from registers.feed_models import RegisterSnapshot

from .pdf import render_pdf

logger = logging.getLogger(__name__)


def snapshot_queue_on_commit(snapshot: RegisterSnapshot) -> None:
    transaction.on_commit(lambda: _queue(snapshot.pk))


def _queue(snapshot_id: int) -> None:
    try:
        enqueue(make_register_snapshot, snapshot_id)
    except QueueUnavailable as error:
        logger.warning("Register snapshot %s not queued: %s", snapshot_id, error)
        snapshot = RegisterSnapshot.objects.get(pk=snapshot_id)
        snapshots.snapshot_failed(snapshot, _("The background queue is unavailable; try again in a moment."))


def snapshot_render(*, snapshot_id: int) -> RegisterSnapshot | None:
    """Claim the snapshot, render its PDF and file it; None when it was not ours to make."""
    snapshot = snapshots.snapshot_claim(snapshot_id)
    if snapshot is None:
        return None
    try:
        tables = snapshots.sheets(snapshot.project, snapshots.SPECS[snapshot.register])
        pdf = render_pdf("registers_feed/snapshot_pdf.html", snapshots.pdf_context(snapshot, tables)).content
    except SoftTimeLimitExceeded:
        snapshots.snapshot_failed(snapshot, _("Making the PDF took longer than the time limit; try again."))
        return RegisterSnapshot.objects.get(pk=snapshot_id)
    except Exception as error:
        # Recorded on the row (the page shows it with "Try again"); the trace goes to the log.
        logger.exception("Register snapshot %s failed", snapshot_id)
        snapshots.snapshot_failed(
            snapshot,
            _("The PDF could not be made (%(error)s). Try again; if it fails again, tell the administrators.")
            % {"error": f"{type(error).__name__}: {error}"},
        )
        return RegisterSnapshot.objects.get(pk=snapshot_id)
    return snapshots.snapshot_file(snapshot, tables, pdf)


def snapshot_retry_queue(*, snapshot: RegisterSnapshot, user) -> RegisterSnapshot:
    """Try a failed (or lost) snapshot again and queue its rendering after commit."""
    with transaction.atomic():
        snapshot = snapshots.snapshot_retry(snapshot=snapshot, user=user)
        snapshot_queue_on_commit(snapshot)
    return snapshot


def snapshots_recover_stale(*, now=None) -> dict[str, list[int]]:
    with transaction.atomic():
        result = snapshots.snapshots_stale(now=now)
        for snapshot_id in result["retried"]:
            transaction.on_commit(lambda pk=snapshot_id: _queue(pk))
    return result


@shared_task(acks_late=True, name="reports.tasks.make_register_snapshot")
def make_register_snapshot(snapshot_id: int) -> None:
    snapshot_render(snapshot_id=snapshot_id)


@shared_task(acks_late=True, name="reports.tasks.recover_stale_register_snapshots")
def recover_stale_register_snapshots() -> dict[str, list[int]]:
    return snapshots_recover_stale()
