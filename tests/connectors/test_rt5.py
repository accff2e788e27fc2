"""Request Tracker 5 through REST2, against a real RT 5 server the session starts (tests/connectors/
rt_server.py): tickets created in RT arrive with their fields, a second sync reads only what changed,
the token is checked and a revoked one is a clear error; tickets made in past months freeze into
populations whose counts, checksums and figures are what was made, and reopens are read per page."""

import time
from datetime import timedelta

import pytest
from django.utils import timezone

from connectors.evidence.figures import monthly_figures
from connectors.evidence.populations import KEY_FIELDS, checksum
from connectors.evidence.selectors import population_detail
from connectors.evidence.services import freeze_closed_months, population_freeze, rule_create
from connectors.http import HttpClient
from connectors.models import Connector, RunStatus, Ticket
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


# Tickets of known kinds, queues, months and statuses, made in RT with their own Created and Resolved
# times (rt_server.BACKDATE), for the frozen-month test below. M is the month before last, N last month.
def _month(today, back: int):
    month = today.replace(day=1)
    for _ in range(back):
        month = (month - timedelta(days=1)).replace(day=1)
    return month


def _at(month, day: int, hour: int) -> str:
    return f"{month:%Y-%m}-{day:02d} {hour:02d}:00:00"


def _ticket(key, queue, kind, created, *, resolved=None, status="resolved", then=(), **custom):
    return {
        "key": key,
        "queue": queue,
        "subject": key.replace("-", " ").capitalize(),
        "status": status if resolved or status != "resolved" else "open",
        "created": created,
        "resolved": resolved,
        "then": list(then),
        "custom": {"Type": kind, **custom},
    }


@pytest.fixture(scope="session")
def rt_months(rt):
    today = timezone.localdate()
    m, n = _month(today, 2), _month(today, 1)
    tickets = [
        _ticket("inc-fast", "Service Desk", "Incident", _at(m, 3, 9), resolved=_at(m, 3, 13)),  # 4 h
        _ticket("inc-late", "Service Desk", "Incident", _at(m, 10, 8), resolved=_at(m, 11, 8)),  # 24 h
        # resolved, reopened, resolved again and reopened again: active now, reopened twice
        _ticket(
            "inc-reopened",
            "Service Desk",
            "Incident",
            _at(m, 15, 10),
            resolved=_at(m, 15, 12),
            then=("open", "resolved", "open"),
        ),
        _ticket("inc-open", "Service Desk", "Incident", _at(m, 20, 9), status="open"),
        _ticket("inc-next", "Service Desk", "Incident", _at(n, 5, 9), resolved=_at(n, 5, 11)),
        _ticket("req-long", "Requests", "Service request", _at(m, 4, 9), resolved=_at(m, 6, 9)),  # 48 h
        _ticket("req-short", "Requests", "Service request", _at(m, 12, 14), resolved=_at(m, 13, 0)),  # 10 h
        _ticket(
            "chg-ok",
            "Ops Changes",
            "Change",
            _at(m, 8, 10),
            resolved=_at(m, 9, 10),
            Emergency="no",
            Outcome="success",
        ),
        _ticket(
            "chg-failed",
            "Ops Changes",
            "Change",
            _at(m, 21, 22),
            resolved=_at(m, 22, 2),
            Emergency="yes",
            Outcome="failed",
        ),
    ]
    ids = rt.create_backdated(["Service Desk", "Requests", "Ops Changes"], tickets)
    return m, n, ids


def test_a_frozen_rt_month_counts_and_figures_match_what_was_made_in_rt(rt, rt_months, make_connector):
    month, following, ids = rt_months
    connector = make_connector(
        "rt5",
        rt.url,
        username="",
        secret=rt.token,
        scope="Queue = 'Service Desk' OR Queue = 'Requests' OR Queue = 'Ops Changes'",
        name="RT desk",
    )
    Connector.objects.filter(pk=connector.pk).update(
        targets={"incident": 8, "service request": 72, "change": 48}
    )
    project, lead = connector.project, connector.project.memberships.get(role="lead").user
    for field, value, clause in (
        ("queue", "Service Desk", "8.6.1"),
        ("ticket_type", "Service request", "8.6.2"),
        ("queue", "Ops Changes", "8.5.1"),
    ):
        rule_create(project=project, user=lead, field=field, value=value, clause=clause)
    run = run_sync(connector.pk, trigger="manual")
    assert run.status == RunStatus.SUCCEEDED, run.error
    assert run.created == 9
    tickets = {t.external_id: t for t in Ticket.objects.filter(connector=connector)}
    reopened = {key: tickets[str(i)].reopened_count for key, i in ids.items()}
    assert reopened == {key: (2 if key == "inc-reopened" else 0) for key in ids}
    # RT keeps Resolved on a reopened ticket: an active ticket is read as not resolved.
    assert tickets[str(ids["inc-reopened"])].resolved_at is None

    made = freeze_closed_months(project=project, user=lead)
    frozen = {(p.clause, p.month): p for p in made}
    incidents = frozen[("8.6.1", month)]
    assert (
        incidents.count == 4 and frozen[("8.6.2", month)].count == 2 and frozen[("8.5.1", month)].count == 2
    )
    assert frozen[("8.6.1", following)].count == 1
    assert set(incidents.tickets.values_list("external_id", flat=True)) == {
        str(ids[k]) for k in ("inc-fast", "inc-late", "inc-reopened", "inc-open")
    }
    # the checksum is the one the frozen rows give, and neither a re-sync nor a second freeze moves it
    rows = list(incidents.tickets.values("connector_id", "external_id", *KEY_FIELDS))
    assert incidents.checksum == checksum(rows)
    assert run_sync(connector.pk, trigger="schedule").status == RunStatus.SUCCEEDED
    assert freeze_closed_months(project=project, user=lead) == []
    again = population_freeze(project=project, clause="8.6.1", month=month, user=lead)
    assert (again.pk, again.checksum) == (incidents.pk, incidents.checksum)
    assert not population_detail(again)["differences"].any

    columns, figures = monthly_figures(project, months=2)
    assert columns == [month, following]
    inc, req, chg = figures["8.6.1"][0], figures["8.6.2"][0], figures["8.5.1"][0]
    assert (inc.volume, inc.resolved, inc.sla_percent, inc.mean_hours, inc.p90_hours) == (
        4,
        2,
        50.0,
        14.0,
        22.0,
    )
    assert (inc.backlog, inc.reopened, inc.reopen_percent) == (2, 1, 25.0)
    assert (figures["8.6.1"][1].volume, figures["8.6.1"][1].backlog) == (1, 2)
    assert (req.volume, req.sla_percent, req.mean_hours, req.p90_hours, req.backlog) == (
        2,
        100.0,
        29.0,
        44.2,
        0,
    )
    assert (chg.volume, chg.change_success_percent, chg.emergency_percent, chg.sla_percent) == (
        2,
        50.0,
        50.0,
        100.0,
    )

    # a later change in RT shows as a difference of the frozen month, never applied to it
    rt.update_ticket(ids["inc-fast"], Subject="Inc fast (renamed)")
    assert run_sync(connector.pk, trigger="schedule").updated == 1
    incidents.refresh_from_db()
    assert incidents.checksum == checksum(rows)
    changed = population_detail(incidents)["differences"].changed
    assert [(row["external_id"], fields) for row, fields in changed] == [(str(ids["inc-fast"]), ["title"])]


def test_reopens_are_read_per_page_of_changed_tickets_only(rt, make_connector, monkeypatch, settings):
    """A reopen in RT reaches the ticket on the next sync, with one transaction search per page of
    changed tickets: the number of requests follows the pages, not the tickets."""
    rt.create_queue("Reopen Desk")
    made = [rt.create_ticket("Reopen Desk", f"Reopen case {i}", Type="Incident") for i in range(5)]
    for ticket_id in made:
        rt.update_ticket(ticket_id, Status="resolved")
    # RT keeps LastUpdated to the second and the next sync re-reads the watermark's second: the reopen
    # gets a second of its own, so only it (and the next change) share the watermark, however fast RT is
    time.sleep(1.05 - time.time() % 1)
    rt.update_ticket(made[0], Status="open")  # reopened once before the first sync
    settings.CONNECTOR_PAGE_SIZE = 2
    calls = []
    original = HttpClient.request

    def counted(self, method, path, params=None, data=None):
        calls.append((method, path.rsplit("/", 1)[-1]))
        return original(self, method, path, params, data)

    monkeypatch.setattr(HttpClient, "request", counted)
    connector = make_connector(
        "rt5", rt.url, username="", secret=rt.token, scope="Queue = 'Reopen Desk'", name="RT reopen"
    )
    first = run_sync(connector.pk, trigger="manual")
    assert first.status == RunStatus.SUCCEEDED, first.error
    assert (first.created, first.pages) == (5, 3)
    assert calls == [("GET", "tickets"), ("POST", "transactions")] * 3
    counts = dict(Ticket.objects.filter(connector=connector).values_list("external_id", "reopened_count"))
    assert counts == {str(i): (1 if i == made[0] else 0) for i in made}

    rt.update_ticket(made[3], Status="open")  # a person reopens another one
    calls.clear()
    second = run_sync(connector.pk, trigger="schedule")
    assert second.status == RunStatus.SUCCEEDED and second.updated == 1
    # only the changed ticket and those sharing the watermark's second are read: one page, one search
    assert second.fetched <= 2 and calls == [("GET", "tickets"), ("POST", "transactions")]
    reopened = Ticket.objects.get(connector=connector, external_id=str(made[3]))
    assert (reopened.reopened_count, reopened.status, reopened.resolved_at) == (1, "open", None)
