"""Jira Service Management (REST API v3) against a local double answering in Jira's documented shapes:
enhanced JQL search paged by nextPageToken/isLast, 429 with Retry-After, an expired API token (401)
and a malformed page."""

import pytest

from connectors.models import RunStatus, SyncState, Ticket
from connectors.normalise import CUT_MARK
from connectors.sync import run_sync
from tests.connectors.fake_tools import FakeTool

pytestmark = [pytest.mark.connectors, pytest.mark.timeout(120)]


@pytest.fixture
def jira(settings):
    settings.CONNECTOR_PAGE_SIZE = 10
    with FakeTool("jira", count=35) as tool:
        yield tool


def test_pages_through_every_issue_with_next_page_tokens(jira, make_connector):
    connector = make_connector("jira", jira.url)
    run = run_sync(connector.pk, trigger="manual")
    assert run.status == RunStatus.SUCCEEDED and (run.pages, run.fetched, run.created) == (4, 35, 35)
    searches = [q for path, q in jira.requests if path.endswith("/search/jql")]
    assert [bool(q.get("nextPageToken")) for q in searches] == [False, True, True, True]
    assert all(q["maxResults"] == "10" and q["jql"].endswith("ORDER BY updated ASC") for q in searches)
    ticket = Ticket.objects.get(connector=connector, external_id="SD-3")
    assert (ticket.ticket_type, ticket.status, ticket.priority, ticket.queue, ticket.category) == (
        "Change",
        "Done",
        "Low",
        "SD",
        "Access",
    )
    assert (
        ticket.is_emergency is True
        and ticket.resolved_at is not None
        and ticket.closed_at == ticket.resolved_at
    )
    assert ticket.title == "Ticket 3 <script>alert(1)</script>"  # stored as text; escaped when shown
    connector.refresh_from_db()
    assert connector.sync_state == SyncState.SUCCEEDED and connector.sync_cursor == {}
    assert connector.synced_until.isoformat().startswith("2026-01-05T08:34")


def test_next_sync_asks_only_for_issues_updated_since_and_is_idempotent(jira, make_connector):
    connector = make_connector("jira", jira.url)
    run_sync(connector.pk, trigger="manual")
    jira.edit(4, title="Mail down again", status="Reopened")
    jira.requests.clear()
    run = run_sync(connector.pk, trigger="schedule")
    jql = jira.requests[0][1]["jql"]
    assert 'updated >= "2026/01/05 08:34"' in jql
    assert (run.created, run.updated) == (0, 1) and run.fetched == run.updated + run.unchanged
    assert Ticket.objects.filter(connector=connector).count() == 35
    assert Ticket.objects.get(connector=connector, external_id="SD-5").title == "Mail down again"
    again = run_sync(connector.pk, trigger="schedule")
    assert (again.created, again.updated) == (0, 0)


def test_rate_limit_backs_off_for_retry_after_then_goes_on(jira, make_connector, sleeps):
    connector = make_connector("jira", jira.url)
    jira.rate_limit, jira.retry_after = 2, "1"
    run = run_sync(connector.pk, trigger="manual", sleep=sleeps)
    assert sleeps == [1.0, 1.0]
    assert run.status == RunStatus.SUCCEEDED and run.fetched == 35


def test_rate_limit_longer_than_allowed_fails_clearly_and_resumes(jira, make_connector, settings, sleeps):
    connector = make_connector("jira", jira.url)
    settings.CONNECTOR_MAX_RETRY_AFTER_SECONDS = 5
    jira.malformed_page = None
    run_first = run_sync(connector.pk, trigger="manual", sleep=sleeps)
    assert run_first.status == RunStatus.SUCCEEDED
    jira.retry_after, jira.rate_limit = "3600", 1
    jira.edit(1, title="changed")
    run = run_sync(connector.pk, trigger="manual", sleep=sleeps)
    connector.refresh_from_db()
    assert run.status == RunStatus.FAILED and "wait 3600 s" in connector.last_error
    assert sleeps == []


def test_expired_token_is_a_clear_error_and_marks_the_connector(jira, make_connector):
    connector = make_connector("jira", jira.url)
    jira.token = "rotated-token"
    run = run_sync(connector.pk, trigger="manual")
    connector.refresh_from_db()
    assert run.status == RunStatus.FAILED
    assert connector.credentials_rejected and "refused the credentials (HTTP 401" in connector.last_error
    assert "good-token" not in connector.last_error and "good-token" not in run.error


def test_malformed_page_fails_the_run_keeps_earlier_pages_and_resumes(jira, make_connector):
    connector = make_connector("jira", jira.url)
    jira.malformed_page = 3
    run = run_sync(connector.pk, trigger="manual")
    connector.refresh_from_db()
    assert run.status == RunStatus.FAILED and "page 3 of issues is not JSON" in connector.last_error
    assert Ticket.objects.filter(connector=connector).count() == 20  # pages 1 and 2 stay
    assert connector.sync_cursor["done"] == 20 and connector.synced_until is None
    jira.malformed_page = None
    jira.requests.clear()
    resumed = run_sync(connector.pk, trigger="manual")
    assert resumed.status == RunStatus.SUCCEEDED and resumed.fetched == 15  # from page 3 on
    assert bool(jira.requests[0][1].get("nextPageToken"))
    assert Ticket.objects.filter(connector=connector).count() == 35


def test_huge_field_is_cut_with_a_mark(jira, make_connector):
    connector = make_connector("jira", jira.url)
    jira.huge_title_at = 0
    run_sync(connector.pk, trigger="manual")
    ticket = Ticket.objects.get(connector=connector, external_id="SD-1")
    assert len(ticket.title) == 500 and ticket.title.endswith(CUT_MARK) and ticket.truncated
    assert len(ticket.raw["summary"]) == 2000 and ticket.raw["summary"].endswith(CUT_MARK)


def test_test_connection_answers_clearly(jira, make_connector):
    from connectors.services import connector_test

    connector = make_connector("jira", jira.url)
    assert connector_test(connector=connector) == (True, "Connected to Jira as Sync <b>bot</b>.")
    jira.token = "other"
    ok, message = connector_test(connector=connector)
    assert not ok and "HTTP 401" in message
