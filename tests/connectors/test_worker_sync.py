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


def test_two_workers_given_the_same_connector_never_sync_it_at_once(workers, slow_jira, make_connector):
    connector = make_connector("jira", slow_jira.url)
    slow_jira.delay = 1.0  # five pages take five seconds: long enough for the second task to arrive meanwhile
    for name in ("one", "two"):
        workers.start(name, kinds=["imports"], environment={"CONNECTOR_PAGE_SIZE": "10"})
    wait_for(
        lambda: workers.log_text(tail=None).count("ready.") >= 2,
        timeout=90,
        workers=workers,
        what="two workers ready",
    )
    enqueue(sync_connector, connector.pk, "manual")
    enqueue(sync_connector, connector.pk, "manual")
    wait_for(
        lambda: workers.succeeded("connectors.tasks.sync_connector") == 2,
        timeout=120,
        workers=workers,
        what="both sync tasks finished",
    )
    runs = list(SyncRun.objects.filter(connector=connector).order_by("started_at"))
    # The second task either found the connector held (no run) or ran after the first had finished.
    pairs = zip(runs, runs[1:], strict=False)
    assert all(later.started_at >= earlier.finished_at for earlier, later in pairs)
    assert (runs[0].status, runs[0].pages, runs[0].created) == ("succeeded", 5, 50)
    assert sum(run.created for run in runs) == 50 and all(run.status == "succeeded" for run in runs)
    assert Ticket.objects.filter(connector=connector).count() == 50
    searches = [q for p, q in slow_jira.requests if p.endswith("/search/jql")]
    first_pages = [q for q in searches if not q.get("nextPageToken")]
    assert len(first_pages) == len(runs)  # each run started once: no page of a run was read by two workers


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
