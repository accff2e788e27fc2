"""Request Tracker 5 through REST2, against a real RT 5 server the session starts (tests/connectors/
rt_server.py): tickets created in RT arrive with their fields, a second sync reads only what changed,
the token is checked and a revoked one is a clear error."""

import pytest

from connectors.models import RunStatus, Ticket
from connectors.services import connector_test
from connectors.sync import run_sync
from tests.conftest import service_missing
from tests.connectors import rt_server

pytestmark = [pytest.mark.connectors, pytest.mark.timeout(600)]


@pytest.fixture(scope="session")
def rt():
    reason = rt_server.missing()
    if reason:
        service_missing(reason)
    server = rt_server.RTServer()
    try:
        yield server.start()
    finally:
        server.stop()


@pytest.fixture(scope="session")
def rt_tickets(rt):
    """Created once through RT: three incidents in General, two changes in a queue of their own."""
    rt.create_queue("Changes")
    ids = {
        "printer": rt.create_ticket(
            "General", "Printer <b>on fire</b>", Type="Incident", Category="Hardware", Priority=3
        ),
        "vpn": rt.create_ticket("General", "VPN down", Type="Incident", Service="Remote access"),
        "access": rt.create_ticket("General", "New starter account", Type="Service request"),
        "upgrade": rt.create_ticket(
            "Changes", "Mail server upgrade", Type="Change", Emergency="no", Outcome="success"
        ),
        "hotfix": rt.create_ticket(
            "Changes", "Hotfix firewall", Type="Change", Emergency="yes", Outcome="failed"
        ),
    }
    rt.update_ticket(ids["printer"], Status="resolved")
    rt.update_ticket(ids["hotfix"], Status="resolved")
    return ids


def test_tickets_created_in_rt_arrive_with_their_fields(rt, rt_tickets, make_connector):
    connector = make_connector("rt5", rt.url, username="", secret=rt.token, name="RT")
    assert (
        connector_test(connector=connector)[1]
        == "Connected to Request Tracker: 2 queue(s) visible to this user."
    )
    run = run_sync(connector.pk, trigger="manual")
    assert run.status == RunStatus.SUCCEEDED, run.error
    tickets = {t.external_id: t for t in Ticket.objects.filter(connector=connector)}
    assert set(tickets) == {str(i) for i in rt_tickets.values()}
    printer = tickets[str(rt_tickets["printer"])]
    assert (
        printer.title,
        printer.queue,
        printer.ticket_type,
        printer.category,
        printer.status,
        printer.priority,
    ) == (
        "Printer <b>on fire</b>",
        "General",
        "Incident",
        "Hardware",
        "resolved",
        "3",
    )
    assert printer.resolved_at is not None and printer.closed_at == printer.resolved_at
    assert printer.opened_at <= printer.resolved_at <= printer.source_updated_at
    vpn = tickets[str(rt_tickets["vpn"])]
    assert (
        vpn.status == "new"
        and vpn.resolved_at is None
        and vpn.closed_at is None
        and vpn.service_name == "Remote access"
    )
    hotfix, upgrade = tickets[str(rt_tickets["hotfix"])], tickets[str(rt_tickets["upgrade"])]
    assert (hotfix.queue, hotfix.is_emergency, hotfix.change_succeeded) == ("Changes", True, False)
    assert (upgrade.is_emergency, upgrade.change_succeeded) == (False, True)
    connector.refresh_from_db()
    assert connector.synced_until == max(t.source_updated_at for t in tickets.values())


def test_second_sync_reads_changes_only_and_a_scope_limits_the_queue(rt, rt_tickets, make_connector):
    everything = make_connector("rt5", rt.url, username="", secret=rt.token, name="RT all")
    scoped = make_connector(
        "rt5", rt.url, username="", secret=rt.token, scope="Queue = 'Changes'", name="RT changes"
    )
    assert run_sync(everything.pk, trigger="manual").created == 5
    assert run_sync(scoped.pk, trigger="manual").created == 2
    rt.update_ticket(rt_tickets["upgrade"], Subject="Mail server upgrade (rolled out)")
    second = run_sync(everything.pk, trigger="schedule")
    # Only the tickets updated at or after the watermark: the changed one and the newest of before
    # (RT's LastUpdated has one-second resolution: tickets created within the newest one's second share
    # the watermark and are read again, unchanged), never the whole queue again.
    assert second.status == RunStatus.SUCCEEDED and (second.updated, second.created) == (1, 0)
    assert 2 <= second.fetched < 5 and second.unchanged == second.fetched - 1
    assert run_sync(scoped.pk, trigger="schedule").updated == 1
    for connector in (everything, scoped):
        upgrade = Ticket.objects.get(connector=connector, external_id=str(rt_tickets["upgrade"]))
        assert upgrade.title == "Mail server upgrade (rolled out)"
    assert Ticket.objects.filter(connector=scoped).count() == 2
    assert set(Ticket.objects.filter(connector=scoped).values_list("queue", flat=True)) == {"Changes"}


def test_basic_auth_works_and_a_wrong_token_is_refused_clearly(rt, rt_tickets, make_connector):
    basic = make_connector("rt5", rt.url, username="root", secret="password", name="RT basic")
    assert connector_test(connector=basic)[0]
    wrong = make_connector(
        "rt5", rt.url, username="", secret="1-1-00000000000000000000000000000000", name="RT wrong"
    )
    run = run_sync(wrong.pk, trigger="manual")
    wrong.refresh_from_db()
    assert run.status == RunStatus.FAILED and wrong.credentials_rejected and "HTTP 401" in wrong.last_error
