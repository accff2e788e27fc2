"""Register snapshots, the reports layer's part (issue 23 §2): queue the rendering after the request
commits, and the task that renders a snapshot's PDF (the same WeasyPrint set-up as every report)
and hands it to registers.snapshots.snapshot_file, which files it in the document register."""

from __future__ import annotations

import logging

from celery import shared_task
from django.db import transaction

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
        snapshots.snapshot_failed(
            snapshot, "The background queue is unavailable; take the snapshot again in a moment."
        )


def snapshot_render(*, snapshot_id: int) -> RegisterSnapshot | None:
    snapshot = snapshots.snapshot_claim(snapshot_id)
    if snapshot is None:
        return None
    tables = snapshots.sheets(snapshot.project, snapshots.SPECS[snapshot.register])
    pdf = render_pdf("registers_feed/snapshot_pdf.html", snapshots.pdf_context(snapshot, tables)).content
    return snapshots.snapshot_file(snapshot, tables, pdf)


@shared_task(acks_late=True, name="reports.tasks.make_register_snapshot")
def make_register_snapshot(snapshot_id: int) -> None:
    snapshot_render(snapshot_id=snapshot_id)
