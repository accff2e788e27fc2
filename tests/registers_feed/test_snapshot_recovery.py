"""Issue 23: a register snapshot whose PDF rendering crashed stayed "queued" for ever. Now it recovers
like a report: a rendering that raises fails the snapshot with the reason on the page and a "Try
again"; a snapshot whose worker died (or whose queue message was lost) is retried or failed by the
sweep after the reports' deadlines; a second run never files a second document version nor sends
the approver a second request."""

from datetime import timedelta

import pytest
from django.utils import timezone

from notifications.models import OutboxMessage
from registers.feed_models import RegisterSnapshot, SnapshotStatus
from registers.snapshots import snapshot_claim, snapshot_request
from reports import register_snapshots
from reports.register_snapshots import snapshot_render
from reports.tasks import recover_stale_register_snapshots
from tests.factories import mandatory
from tests.registers.builders import make_service, make_target

pytestmark = pytest.mark.django_db


def url(world):
    return f"/projects/{world.project.pk}/reports/register-snapshots/"


@pytest.fixture
def catalogue(world):
    make_target(make_service(world.project, name="E-mail", owner=world.user("contributor")))
    document = mandatory(world.project, "DOC-08")
    document.approver = world.user("lead")
    document.save()
    return document


@pytest.fixture
def broken_pdf(monkeypatch):
    """WeasyPrint raising, as a template or font error would."""

    def explode(*args, **kwargs):
        raise RuntimeError("font file unreadable")

    monkeypatch.setattr(register_snapshots, "render_pdf", explode)


def requested(world, django_capture_on_commit_callbacks, register="services") -> RegisterSnapshot:
    with django_capture_on_commit_callbacks(execute=False):
        return snapshot_request(project=world.project, register=register, user=world.user("contributor"))


def approval_requests(catalogue) -> int:
    return OutboxMessage.objects.filter(recipient=catalogue.approver).count()


def test_a_rendering_that_raises_fails_the_snapshot_with_its_reason_on_the_page_and_a_retry_files_it(
    world, client_for, media, catalogue, broken_pdf, monkeypatch, django_capture_on_commit_callbacks
):
    snapshot = requested(world, django_capture_on_commit_callbacks)

    assert snapshot_render(snapshot_id=snapshot.pk).status == SnapshotStatus.FAILED

    snapshot.refresh_from_db()
    assert "The PDF could not be made" in snapshot.error and "font file unreadable" in snapshot.error
    assert snapshot.document_version is None and catalogue.versions.count() == 0
    client = client_for("contributor")
    page = client.get(url(world)).content.decode()
    assert "font file unreadable" in page and "Try again" in page
    assert f"register-snapshots/{snapshot.pk}/retry/" in page

    monkeypatch.undo()  # the renderer works again
    with django_capture_on_commit_callbacks(execute=False) as queued:
        answer = client.post(url(world) + f"{snapshot.pk}/retry/", follow=True)
    assert answer.status_code == 200 and "queued again" in answer.content.decode()
    assert len(queued) == 1
    snapshot.refresh_from_db()
    assert (snapshot.status, snapshot.error) == (SnapshotStatus.QUEUED, "")
    with django_capture_on_commit_callbacks(execute=True):
        filed = snapshot_render(snapshot_id=snapshot.pk)
    assert filed.status == SnapshotStatus.DONE and catalogue.versions.count() == 1
    assert approval_requests(catalogue) == 1
    page = client.get(url(world)).content.decode()
    assert "DOC-08 v1" in page and f"register-snapshots/{snapshot.pk}/retry/" not in page


def test_a_snapshot_being_made_or_done_cannot_be_retried(
    world, client_for, media, catalogue, django_capture_on_commit_callbacks
):
    snapshot = requested(world, django_capture_on_commit_callbacks)
    answer = client_for("lead").post(url(world) + f"{snapshot.pk}/retry/", follow=True)
    assert "Only a failed snapshot" in answer.content.decode()
    snapshot_render(snapshot_id=snapshot.pk)
    answer = client_for("lead").post(url(world) + f"{snapshot.pk}/retry/", follow=True)
    assert "Only a failed snapshot" in answer.content.decode()
    assert catalogue.versions.count() == 1
    assert client_for("viewer").post(url(world) + f"{snapshot.pk}/retry/").status_code == 403


def test_a_snapshot_whose_worker_died_is_retried_by_the_sweep_then_filed_once(
    world, media, catalogue, settings, django_capture_on_commit_callbacks
):
    snapshot = requested(world, django_capture_on_commit_callbacks)
    assert snapshot_claim(snapshot.pk) is not None  # the worker took it, then died
    later = timezone.now() + timedelta(seconds=settings.REPORT_STALE_AFTER_SECONDS + 1)
    assert register_snapshots.snapshots_recover_stale(now=timezone.now()) == {"retried": [], "failed": []}

    with django_capture_on_commit_callbacks(execute=False) as queued:
        assert register_snapshots.snapshots_recover_stale(now=later) == {
            "retried": [snapshot.pk],
            "failed": [],
        }
    assert len(queued) == 1  # sent to the queue again, after commit
    snapshot.refresh_from_db()
    assert snapshot.status == SnapshotStatus.QUEUED and snapshot.attempts == 1

    with django_capture_on_commit_callbacks(execute=True):
        assert snapshot_render(snapshot_id=snapshot.pk).status == SnapshotStatus.DONE
        assert snapshot_render(snapshot_id=snapshot.pk) is None  # a duplicate message: nothing twice
    assert catalogue.versions.count() == 1 and approval_requests(catalogue) == 1


def test_the_dead_worker_waking_up_after_the_sweep_files_nothing(
    world, media, catalogue, settings, django_capture_on_commit_callbacks
):
    """The first run renders slowly past the deadline; the sweep hands the row to a second run that
    files it. The first run's result is dropped: one version, one request to the approver."""
    from registers import snapshots

    snapshot = requested(world, django_capture_on_commit_callbacks)
    first = snapshot_claim(snapshot.pk)
    later = timezone.now() + timedelta(seconds=settings.REPORT_STALE_AFTER_SECONDS + 1)
    with django_capture_on_commit_callbacks(execute=False):
        register_snapshots.snapshots_recover_stale(now=later)
    with django_capture_on_commit_callbacks(execute=True):
        assert snapshot_render(snapshot_id=snapshot.pk).status == SnapshotStatus.DONE
        tables = snapshots.sheets(first.project, snapshots.SPECS[first.register])
        late = snapshots.snapshot_file(first, tables, b"%PDF-1.4 late")
    assert late.status == SnapshotStatus.DONE
    assert catalogue.versions.count() == 1 and approval_requests(catalogue) == 1


def test_the_sweep_fails_a_snapshot_after_the_last_attempt_with_a_message_and_it_can_be_retried(
    world, client_for, media, catalogue, settings, django_capture_on_commit_callbacks
):
    settings.REPORT_MAX_ATTEMPTS = 1
    snapshot = requested(world, django_capture_on_commit_callbacks)
    snapshot_claim(snapshot.pk)
    later = timezone.now() + timedelta(seconds=settings.REPORT_STALE_AFTER_SECONDS + 1)
    assert register_snapshots.snapshots_recover_stale(now=later) == {"retried": [], "failed": [snapshot.pk]}
    snapshot.refresh_from_db()
    assert (
        snapshot.status == SnapshotStatus.FAILED and "worker making this snapshot stopped" in snapshot.error
    )
    page = client_for("lead").get(url(world)).content.decode()
    assert "worker making this snapshot stopped" in page and "Try again" in page
    with django_capture_on_commit_callbacks(execute=False) as queued:
        client_for("lead").post(url(world) + f"{snapshot.pk}/retry/")
    assert len(queued) == 1
    assert RegisterSnapshot.objects.get(pk=snapshot.pk).status == SnapshotStatus.QUEUED
    snapshot_render(snapshot_id=snapshot.pk)  # the worker runs the queued task
    assert RegisterSnapshot.objects.get(pk=snapshot.pk).status == SnapshotStatus.DONE
    assert catalogue.versions.count() == 1


def test_a_snapshot_left_queued_past_the_deadline_is_sent_again_then_failed(
    world, client_for, media, catalogue, settings, django_capture_on_commit_callbacks
):
    """Its queue message was lost (the worker died before claiming it): it stays "queued"."""
    settings.REPORT_MAX_ATTEMPTS = 1
    snapshot = requested(world, django_capture_on_commit_callbacks)
    stale = timedelta(seconds=settings.REPORT_QUEUED_STALE_AFTER_SECONDS + 1)
    with django_capture_on_commit_callbacks(execute=False) as queued:
        first = register_snapshots.snapshots_recover_stale(now=timezone.now() + stale)
    assert first == {"retried": [snapshot.pk], "failed": []} and len(queued) == 1
    second = register_snapshots.snapshots_recover_stale(now=timezone.now() + 3 * stale)
    assert second == {"retried": [], "failed": [snapshot.pk]}
    snapshot.refresh_from_db()
    assert snapshot.status == SnapshotStatus.FAILED and "No worker picked this snapshot up" in snapshot.error
    assert catalogue.versions.count() == 0


def test_the_sweep_is_a_periodic_task_on_the_sweeps_queue(settings):
    from sms_tracker.celery import TASK_KINDS

    tasks = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert "reports.tasks.recover_stale_register_snapshots" in tasks
    assert TASK_KINDS["reports.tasks.recover_stale_register_snapshots"] == "sweeps"
    assert recover_stale_register_snapshots() == {"retried": [], "failed": []}
