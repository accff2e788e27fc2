"""SLA attainment against the service catalogue's targets where it has them (else the connector's),
and the computed SLA months a frozen month fills in the registers — never over a hand entry, and
the same figure however often the month is frozen again or the tickets synced again."""

from datetime import date, timedelta
from decimal import Decimal

from connectors.evidence import services
from connectors.evidence.catalogue import catalogue_targets, parse_measure
from connectors.evidence.figures import catalogue_sla_targets, monthly_figures
from connectors.models import Ticket
from registers.models import ActualSource, Direction, SlaActual
from tests.registers.builders import make_actual, make_service, make_target
from tests.ticket_evidence.helpers import connector, standard_rules, ticket, when

TODAY = date(2026, 12, 6)
NOVEMBER, OCTOBER = date(2026, 11, 1), date(2026, 10, 1)


def test_measures_that_set_a_time_to_resolve_a_kind_of_ticket():
    assert parse_measure("Incidents resolved within 8 hours") == ("8.6.1", 8.0)
    assert parse_measure("Service requests fulfilled within 3 days") == ("8.6.2", 72.0)
    assert parse_measure("changes closed within 1,5 h") == ("8.5.1", 1.5)
    assert parse_measure("Availability") is None
    assert parse_measure("Incidents resolved within 8 fortnights") is None


def test_catalogue_targets_need_a_percentage_to_reach(world):
    desk = make_service(world.project, name="Service Desk", owner=world.user("lead"))
    counted = make_target(desk, measure="Incidents resolved within 4 hours", target="90", unit="%")
    make_target(desk, measure="Incidents resolved within 2 hours", target="3", unit="hours")  # not a share
    make_target(desk, measure="Availability", target="99.5")
    make_target(
        desk, measure="Changes done within 2 days", target="20", unit="%", direction=Direction.AT_MOST
    )
    assert [(t.target, t.service, t.clause, t.hours) for t in catalogue_targets(world.project)] == [
        (counted, "service desk", "8.6.1", 4.0)
    ]
    assert catalogue_sla_targets(world.project) == {("service desk", "8.6.1"): 4.0}


def _month_of_incidents(world, *, service="Service Desk"):
    standard_rules(world.project, world.user("lead"))
    conn = connector(world.project, targets={"incident": 8})
    for hours in (1, 3, 6, 7):  # within the connector's 8 h; only two within the catalogue's 4 h
        ticket(conn, opened=when(2026, 11, 2), hours=hours, service_name=service)
    ticket(conn, opened=when(2026, 11, 3), hours=6, service_name="Other service")  # no catalogue target
    ticket(conn, opened=when(2026, 11, 4), service_name=service)  # open: not judged
    return conn


def test_the_catalogue_target_wins_for_its_service_and_the_connector_target_for_the_rest(world):
    _month_of_incidents(world, service="service desk")  # matched without regard to case
    _, before = monthly_figures(world.project, today=TODAY)
    november = next(f for f in before["8.6.1"] if f.month == NOVEMBER)
    assert (november.sla_met, november.sla_total) == (5, 5)  # all within the connector's 8 h
    make_target(
        make_service(world.project, name="Service Desk"),
        measure="Incidents resolved within 4 hours",
        target="90",
        unit="%",
    )
    _, after = monthly_figures(world.project, today=TODAY)
    november = next(f for f in after["8.6.1"] if f.month == NOVEMBER)
    # 2 of the desk's 4 within 4 h, and the other service's ticket within the connector's 8 h
    assert (november.sla_met, november.sla_total, november.sla_percent) == (3, 5, 60.0)


def test_freezing_a_month_fills_the_computed_sla_month_once(world):
    conn = _month_of_incidents(world)
    lead = world.user("lead")
    target = make_target(
        make_service(world.project, name="Service Desk"),
        measure="Incidents resolved within 4 hours",
        target="90",
        unit="%",
    )
    services.population_freeze(project=world.project, clause="8.6.1", month=NOVEMBER, user=lead, today=TODAY)
    actual = SlaActual.objects.get(target=target, month=NOVEMBER)
    assert (actual.value, actual.met, actual.source) == (Decimal("50.0"), False, ActualSource.COMPUTED)
    assert actual.note == "Computed from the frozen tickets: 2 of 4 resolved within 4 h."
    history = actual.history.count()

    # a later sync that resolves the open ticket fast, then freezing again and the daily sweep:
    # the frozen month's figure stays, and is not even written again
    late = Ticket.objects.get(connector=conn, resolved_at__isnull=True)
    Ticket.objects.filter(pk=late.pk).update(
        resolved_at=late.opened_at + timedelta(hours=1), status="resolved"
    )
    services.population_freeze(project=world.project, clause="8.6.1", month=NOVEMBER, user=lead, today=TODAY)
    services.freeze_closed_months(project=world.project, user=lead, today=TODAY)
    actual.refresh_from_db()
    assert (actual.value, actual.version, actual.history.count()) == (Decimal("50.0"), 1, history)
    assert SlaActual.objects.filter(target=target).count() == 1


def test_a_month_entered_by_hand_is_left_alone(world):
    _month_of_incidents(world)
    lead = world.user("lead")
    target = make_target(
        make_service(world.project, name="Service Desk"),
        measure="Incidents resolved within 4 hours",
        target="90",
        unit="%",
    )
    hand = make_actual(
        target, month=NOVEMBER, value="97", source=ActualSource.MANUAL, note="From the desk's report"
    )
    services.freeze_closed_months(project=world.project, user=lead, today=TODAY)
    hand.refresh_from_db()
    assert (hand.value, hand.source, hand.note, hand.version) == (
        Decimal("97"),
        ActualSource.MANUAL,
        "From the desk's report",
        1,
    )


def test_a_target_added_after_the_freeze_gets_its_figure_from_the_frozen_rows(world):
    conn = _month_of_incidents(world)
    lead = world.user("lead")
    ticket(conn, opened=when(2026, 10, 5), hours=2, service_name="Service Desk")
    services.freeze_closed_months(project=world.project, user=lead, today=TODAY)
    Ticket.objects.filter(connector=conn).delete()  # the tool's tickets are gone; the frozen rows stay
    target = make_target(
        make_service(world.project, name="Service Desk"),
        measure="Incidents resolved within 4 hours",
        target="90",
        unit="%",
    )
    services.freeze_closed_months(project=world.project, user=lead, today=TODAY)
    figures = dict(SlaActual.objects.filter(target=target).values_list("month", "value"))
    assert figures == {OCTOBER: Decimal("100.0"), NOVEMBER: Decimal("50.0")}
