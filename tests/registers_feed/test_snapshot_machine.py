"""Register snapshots are rows of the one delivery row machine (kernel/delivery.py, issue 20 §1):
the machine's claim and stuck-run sweep on the reports' terms, and a failure that changes only the
run that reports it."""

from datetime import timedelta

import pytest
from django.utils import timezone

from kernel import delivery
from kernel.delivery import DeliveryRow
from registers.feed_models import RegisterSnapshot, SnapshotStatus
from registers.snapshots import snapshot_claim, snapshot_failed, snapshot_request, snapshots_stale

pytestmark = pytest.mark.django_db


def _requested(world) -> RegisterSnapshot:
    return snapshot_request(project=world.project, register="services", user=world.user("contributor"))


def test_a_snapshot_is_a_delivery_row_on_the_reports_terms(settings):
    machine = RegisterSnapshot.machine
    assert issubclass(RegisterSnapshot, DeliveryRow) and isinstance(machine, delivery.Machine)
    assert (machine.pending, machine.claimed, machine.done, machine.failed) == (
        SnapshotStatus.QUEUED,
        SnapshotStatus.RUNNING,
        SnapshotStatus.DONE,
        SnapshotStatus.FAILED,
    )
    settings.REPORT_MAX_ATTEMPTS, settings.REPORT_STALE_AFTER_SECONDS = 3, 120
    assert machine.max_attempts() == 3 and machine.lease() == timedelta(seconds=120)
    assert machine.redo_stuck and machine.claimed_at == "started_at"


def test_a_claim_is_taken_once_and_a_stuck_run_is_queued_again_with_a_fresh_wait(world, settings):
    snapshot = _requested(world)
    assert snapshot_claim(snapshot.pk) is not None
    assert snapshot_claim(snapshot.pk) is None  # a duplicate message: not a second run
    later = timezone.now() + timedelta(seconds=settings.REPORT_STALE_AFTER_SECONDS + 1)
    assert snapshots_stale(now=later) == {"retried": [snapshot.pk], "failed": []}
    snapshot.refresh_from_db()
    assert (snapshot.status, snapshot.started_at, snapshot.queued_at) == (SnapshotStatus.QUEUED, None, later)
    assert snapshot.attempts == 1 and snapshot.requeues == 0


def test_a_stale_run_failing_after_the_sweep_handed_the_snapshot_on_leaves_the_new_run_alone(world, settings):
    snapshot = _requested(world)
    first = snapshot_claim(snapshot.pk)
    later = timezone.now() + timedelta(seconds=settings.REPORT_STALE_AFTER_SECONDS + 1)
    snapshots_stale(now=later)
    second = snapshot_claim(snapshot.pk)
    assert second.started_at != first.started_at

    snapshot_failed(first, "font file unreadable")  # the first worker wakes up and reports its error
    snapshot.refresh_from_db()
    assert (snapshot.status, snapshot.error, snapshot.attempts) == (SnapshotStatus.RUNNING, "", 2)

    snapshot_failed(second, "font file unreadable")
    snapshot.refresh_from_db()
    assert (snapshot.status, snapshot.error) == (SnapshotStatus.FAILED, "font file unreadable")
