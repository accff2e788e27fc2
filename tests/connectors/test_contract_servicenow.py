"""ServiceNow (Table API) against a local double answering in the documented shapes: a `result` list,
sysparm_offset/sysparm_limit paging with X-Total-Count and a Link header, 429 with Retry-After,
expired credentials (401) and a malformed page."""

import pytest

from connectors.models import RunStatus, SyncState, Ticket
from connectors.services import connector_test
from connectors.sync import run_sync
from tests.connectors.fake_tools import FakeTool

pytestmark = [pytest.mark.connectors, pytest.mark.timeout(120)]


@pytest.fixture
def servicenow(settings):
    settings.CONNECTOR_PAGE_SIZE = 10
    with FakeTool("servicenow", count=27) as tool:
        yield tool


def test_pages_by_offset_following_the_link_header(servicenow, make_connector):
    connector = make_connector("servicenow", servicenow.url, username="sync.user")
    run = run_sync(connector.pk, trigger="manual")
    assert run.status == RunStatus.SUCCEEDED and (run.pages, run.created) == (3, 27)
    offsets = [q["sysparm_offset"] for _, q in servicenow.requests]
    assert offsets == ["0", "10", "20"]
    assert all(
        q["sysparm_limit"] == "10" and q["sysparm_display_value"] == "all" for _, q in servicenow.requests
    )
    connector.refresh_from_db()
    assert connector.sync_total == 27 and connector.sync_done == 27  # X-Total-Count
    ticket = Ticket.objects.get(connector=connector, external_id="INC0000002")
    assert (ticket.ticket_type, ticket.status, ticket.category, ticket.service_name, ticket.queue) == (
        "Incident",
        "Done",
        "Email",
        "E-mail service",
        "Service desk",
    )
    assert ticket.reopened_count == 1 and ticket.opened_at.isoformat() == "2026-01-05T03:01:00+00:00"


def test_server_page_smaller_than_asked_still_reads_everything(servicenow, make_connector):
    servicenow.page_limit = 4  # the instance caps pages below sysparm_limit
    connector = make_connector("servicenow", servicenow.url, username="sync.user")
    run = run_sync(connector.pk, trigger="manual")
    assert run.status == RunStatus.SUCCEEDED and run.fetched == 27


def test_incremental_query_uses_the_watermark(servicenow, make_connector):
    connector = make_connector("servicenow", servicenow.url, username="sync.user")
    run_sync(connector.pk, trigger="manual")
    servicenow.requests.clear()
    servicenow.edit(0, title="Printer jammed <img src=x>")
    run = run_sync(connector.pk, trigger="schedule")
    assert (
        "dateGenerate('2026-01-05','08:26:00')^ORDERBYsys_updated_on"
        in servicenow.requests[0][1]["sysparm_query"]
    )
    assert (run.created, run.updated) == (0, 1)
    assert (
        Ticket.objects.get(connector=connector, external_id="INC0000001").title
        == "Printer jammed <img src=x>"
    )


def test_429_with_retry_after_is_waited_out(servicenow, make_connector, sleeps):
    connector = make_connector("servicenow", servicenow.url, username="sync.user")
    servicenow.rate_limit = 1
    run = run_sync(connector.pk, trigger="manual", sleep=sleeps)
    assert sleeps == [1.0] and run.status == RunStatus.SUCCEEDED and run.fetched == 27


def test_429_without_retry_after_backs_off_exponentially_then_gives_up(servicenow, make_connector, settings):
    connector = make_connector("servicenow", servicenow.url, username="sync.user")
    settings.CONNECTOR_MAX_RETRIES = 3
    servicenow.retry_after, servicenow.rate_limit = "", 10
    waits = []
    run = run_sync(connector.pk, trigger="manual", sleep=waits.append)
    connector.refresh_from_db()
    assert waits == [1.0, 2.0, 4.0]
    assert run.status == RunStatus.FAILED and "Still rate-limited after 3 retries" in connector.last_error
    assert Ticket.objects.filter(connector=connector).count() == 0


def test_expired_password_marks_the_connector_and_test_connection_says_so(servicenow, make_connector):
    connector = make_connector("servicenow", servicenow.url, username="sync.user")
    assert connector_test(connector=connector)[0]
    servicenow.token = "changed"
    run = run_sync(connector.pk, trigger="manual")
    connector.refresh_from_db()
    assert run.status == RunStatus.FAILED and connector.sync_state == SyncState.FAILED
    assert connector.credentials_rejected and "HTTP 401" in connector.last_error
    ok, message = connector_test(connector=connector)
    assert not ok and "Enter new credentials" in message


def test_malformed_page_keeps_earlier_data_and_says_which_page(servicenow, make_connector):
    connector = make_connector("servicenow", servicenow.url, username="sync.user")
    run_sync(connector.pk, trigger="manual")
    before = dict(Ticket.objects.filter(connector=connector).values_list("external_id", "fingerprint"))
    servicenow.malformed_page = 1
    servicenow.edit(3, title="changed in the tool")
    run = run_sync(connector.pk, trigger="manual")
    connector.refresh_from_db()
    assert (
        run.status == RunStatus.FAILED and connector.last_error == "ServiceNow's page 1 has no result list."
    )
    assert (
        dict(Ticket.objects.filter(connector=connector).values_list("external_id", "fingerprint")) == before
    )
