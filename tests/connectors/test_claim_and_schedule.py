"""One worker per connector at a time (a claim with an expiry), and the beat sweep that queues the
connectors whose interval has passed."""

from datetime import timedelta

import pytest
from django.utils import timezone

from connectors import services, sync, tasks
from connectors.models import Connector, SyncRun, SyncState, Ticket
from tests.connectors.fake_tools import FakeTool

pytestmark = pytest.mark.django_db


def test_a_connector_held_by_another_worker_is_left_alone(make_connector):
    connector = make_connector("jira", "http://127.0.0.1:1/")
    assert sync.claim(connector.pk, "worker-a")
    assert not sync.claim(connector.pk, "worker-b")
    assert sync.run_sync(connector.pk, trigger="manual") is None
    assert not SyncRun.objects.exists()
    sync.release(connector.pk, "worker-a")
    assert sync.claim(connector.pk, "worker-b")


def test_a_claim_left_by_a_dead_worker_expires(make_connector):
    connector = make_connector("jira", "http://127.0.0.1:1/")
    Connector.objects.filter(pk=connector.pk).update(
        claimed_by="dead", claimed_until=timezone.now() - timedelta(seconds=1)
    )
    assert sync.claim(connector.pk, "alive")


@pytest.mark.connectors
@pytest.mark.timeout(60)
def test_a_worker_whose_claim_was_taken_over_stops_without_writing_on(make_connector, settings, monkeypatch):
    settings.CONNECTOR_PAGE_SIZE = 5
    with FakeTool("jira", count=20) as tool:
        connector = make_connector("jira", tool.url)
        real_client_for = sync.client_for

        def client_losing_its_claim(*args, **kwargs):
            client = real_client_for(*args, **kwargs)
            fetch, calls = client.fetch_page, []

            def fetch_page(**kw):
                calls.append(1)
                if len(calls) == 2:  # another worker took the connector over between two pages
                    Connector.objects.filter(pk=connector.pk).update(claimed_by="someone-else")
                return fetch(**kw)

            client.fetch_page = fetch_page
            return client

        monkeypatch.setattr(sync, "client_for", client_losing_its_claim)
        run = sync.run_sync(connector.pk, trigger="manual")
    assert run.status == "failed" and "Another worker took this connector over" in run.error
    assert Connector.objects.get(pk=connector.pk).claimed_by == "someone-else"  # not released by the loser
    assert (
        Ticket.objects.filter(connector=connector).count() == 5
    )  # the page read after losing it is not stored


def test_the_sweep_queues_due_connectors_only(make_connector, monkeypatch):
    sent = []
    monkeypatch.setattr("connectors.services.enqueue", lambda task, *args: sent.append(args))
    due = make_connector("jira", "http://127.0.0.1:1/", name="due")
    recent = make_connector("jira", "http://127.0.0.1:1/", name="recent")
    SyncRun.objects.create(connector=recent, started_at=timezone.now() - timedelta(minutes=5))
    off = make_connector("jira", "http://127.0.0.1:1/", name="off")
    Connector.objects.filter(pk=off.pk).update(schedule_enabled=False)
    refused = make_connector("jira", "http://127.0.0.1:1/", name="refused")
    Connector.objects.filter(pk=refused.pk).update(credentials_rejected=True)
    assert tasks.connectors_sweep() == 1
    queued = SyncRun.objects.get(connector=due)  # the run the worker will take up
    assert sent == [(due.pk, "schedule", queued.pk)] and queued.status == "queued"
    assert Connector.objects.get(pk=due.pk).sync_state == SyncState.QUEUED
    soon = timezone.now() + timedelta(minutes=10)
    assert services.due_connector_ids(soon) == []  # "due" is queued; "recent" ran 15 minutes before
    later = timezone.now() + timedelta(minutes=61)
    # A sync queued 61 minutes ago that never ran was lost by the broker: it is due again.
    assert set(services.due_connector_ids(later)) == {due.pk, recent.pk}


def test_the_sweep_is_on_the_beat_schedule_and_routed(settings):
    from sms_tracker.celery import TASK_KINDS

    assert settings.CELERY_BEAT_SCHEDULE["connectors-sweep"]["task"] == "connectors.tasks.connectors_sweep"
    assert TASK_KINDS["connectors.tasks.sync_connector"] == "imports"


def test_changing_what_to_read_starts_the_next_sync_from_the_beginning(make_connector, lead_project):
    _, lead = lead_project
    connector = make_connector("jira", "http://127.0.0.1:1/")
    Connector.objects.filter(pk=connector.pk).update(
        synced_until=timezone.now(), sync_cursor={"position": {"token": "x"}, "done": 100}
    )
    services.connector_update(connector_id=connector.pk, expected_version=1, user=lead, name="Renamed")
    assert Connector.objects.get(pk=connector.pk).synced_until is not None  # a new name changes nothing
    services.connector_update(connector_id=connector.pk, expected_version=2, user=lead, scope="project = OPS")
    changed = Connector.objects.get(pk=connector.pk)
    assert changed.synced_until is None and changed.sync_cursor == {}
