"""Syncs through real `celery worker` processes and the real Redis broker: the same connector sent to
two workers at once is synced by one of them (the claim); the lead's "Sync now" runs on a worker."""

import time

import pytest

from connectors.models import Connector, SyncRun, SyncState, Ticket
from connectors.tasks import sync_connector
from kernel.queueing import enqueue
from tests.background.workers import wait_for
from tests.connectors.fake_tools import FakeTool

pytestmark = [pytest.mark.services, pytest.mark.connectors, pytest.mark.timeout(180)]


@pytest.fixture
def slow_jira():
    with FakeTool("jira", count=50) as tool:
        tool.delay = 0.3
        yield tool


def test_two_workers_given_the_same_connector_sync_it_once(workers, slow_jira, make_connector):
    connector = make_connector("jira", slow_jira.url)
    for name in ("one", "two"):
        workers.start(name, kinds=["imports"], environment={"CONNECTOR_PAGE_SIZE": "10"})
    enqueue(sync_connector, connector.pk, "manual")
    enqueue(sync_connector, connector.pk, "manual")
    wait_for(
        lambda: workers.succeeded("connectors.tasks.sync_connector") == 2,
        timeout=90,
        workers=workers,
        what="both sync tasks finished",
    )
    assert SyncRun.objects.filter(connector=connector).count() == 1
    run = SyncRun.objects.get(connector=connector)
    assert (run.status, run.pages, run.created) == ("succeeded", 5, 50)
    assert Ticket.objects.filter(connector=connector).count() == 50
    assert (
        len([q for p, q in slow_jira.requests if p.endswith("/search/jql")]) == 5
    )  # nobody read a page twice


def test_sync_now_runs_on_a_worker_and_the_page_shows_the_result(
    workers, slow_jira, make_connector, client, lead_project
):
    project, lead = lead_project
    connector = make_connector("jira", slow_jira.url)
    workers.start("one", kinds=["imports"], environment={"CONNECTOR_PAGE_SIZE": "25"})
    client.force_login(lead)
    assert client.post(connector.get_absolute_url() + "sync/").status_code == 302
    wait_for(
        lambda: Connector.objects.filter(pk=connector.pk, sync_state=SyncState.SUCCEEDED).exists(),
        timeout=90,
        workers=workers,
        what="the sync succeeded",
    )
    time.sleep(0.2)
    html = client.get(connector.get_absolute_url()).content.decode()
    assert "50 tickets read" in html and "Up to date" in html
