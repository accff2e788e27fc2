"""A closed month becomes one frozen population: key fields, count, checksum, an evidence entry that
cannot change; a later sync that disagrees is shown as a difference, never applied."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from connectors.evidence import services
from connectors.evidence.models import FrozenTicket, Population
from connectors.evidence.populations import KEY_FIELDS, checksum, frozen_values
from connectors.evidence.selectors import population_detail
from connectors.normalise import CUT_MARK
from documents.models import EvidenceEntry, EvidenceOrigin
from documents.operation import services as evidence_services
from documents.operation.selectors import process_statuses
from tests.ticket_evidence.helpers import connector, standard_rules, ticket, when

TODAY = date(2026, 12, 6)


@pytest.fixture
def month(world):
    standard_rules(world.project, world.user("lead"))
    conn = connector(world.project)
    for day in (2, 9, 30):
        ticket(conn, opened=when(2026, 11, day), hours=4)
    ticket(conn, opened=when(2026, 11, 3), ticket_type="Change", hours=2)
    ticket(conn, opened=when(2026, 10, 31, 23), hours=1)  # October: not in November's population
    return conn


def test_freezing_a_month_makes_one_population_with_count_checksum_and_evidence(world, month):
    lead = world.user("lead")
    population = services.population_freeze(
        project=world.project, clause="8.6.1", month=date(2026, 11, 1), user=lead, today=TODAY
    )
    assert population.count == 3
    rows = list(population.tickets.values())
    assert population.checksum == checksum(rows) and len(population.checksum) == 64
    entry = population.entry
    assert entry.origin == EvidenceOrigin.CONNECTOR
    assert (entry.period_start, entry.on) == (date(2026, 11, 1), date(2026, 11, 30))
    assert entry.link.endswith("/ticket-evidence/populations/8-6-1/2026-11/")
    again = services.population_freeze(
        project=world.project, clause="8.6.1", month=date(2026, 11, 1), user=lead, today=TODAY
    )
    assert again.pk == population.pk
    assert Population.objects.count() == 1 and EvidenceEntry.objects.count() == 1


def test_the_frozen_entry_counts_for_its_month_as_evidence_of_the_process(world, month):
    services.population_freeze(
        project=world.project, clause="8.6.1", month=date(2026, 11, 1), user=world.user("lead"), today=TODAY
    )
    status = next(s for s in process_statuses(world.project, today=TODAY) if s.process.clause == "8.6.1")
    assert status.counted_by_month == {date(2026, 11, 1): 1} and status.flagged == 0


def test_freeze_closed_months_is_idempotent_and_skips_the_current_month(world, month):
    lead = world.user("lead")
    ticket(month, opened=when(2026, 12, 2), hours=1)  # December is not over
    made = services.freeze_closed_months(project=world.project, user=lead, today=TODAY)
    assert sorted((p.clause, p.month) for p in made) == [
        ("8.5.1", date(2026, 11, 1)),
        ("8.6.1", date(2026, 10, 1)),
        ("8.6.1", date(2026, 11, 1)),
    ]
    assert services.freeze_closed_months(project=world.project, user=lead, today=TODAY) == []
    with pytest.raises(ValidationError, match="not over yet"):
        services.population_freeze(
            project=world.project, clause="8.6.1", month=date(2026, 12, 1), user=lead, today=TODAY
        )


def test_a_later_sync_that_disagrees_is_shown_not_applied(world, month):
    population = services.population_freeze(
        project=world.project, clause="8.6.1", month=date(2026, 11, 1), user=world.user("lead"), today=TODAY
    )
    before = (population.count, population.checksum, list(population.tickets.values_list("title", flat=True)))
    changed = month.tickets.filter(opened_at__month=11, ticket_type="Incident").first()
    changed.title, changed.reopened_count = "Renamed in the tool", 1
    changed.save()
    added = ticket(month, opened=when(2026, 11, 20), hours=3)
    diff = population_detail(population)["differences"]
    assert [row["external_id"] for row in diff.added] == [added.external_id]
    assert [(row["external_id"], fields) for row, fields in diff.changed] == [
        (changed.external_id, ["title", "reopened"])
    ]
    population.refresh_from_db()
    after = (population.count, population.checksum, list(population.tickets.values_list("title", flat=True)))
    assert after == before


def test_nobody_edits_or_deletes_a_frozen_population_entry(world, month, client_for):
    lead = world.user("lead")
    population = services.population_freeze(
        project=world.project, clause="8.6.1", month=date(2026, 11, 1), user=lead, today=TODAY
    )
    entry = population.entry
    with pytest.raises(ValidationError, match="cannot be edited"):
        evidence_services.entry_update(
            entry=entry,
            user=lead,
            expected_version=entry.version,
            on=entry.on,
            summary="changed",
            link="https://x.example/",
        )
    with pytest.raises(ValidationError, match="cannot be edited or deleted"):
        evidence_services.entry_delete(entry=entry, user=lead)
    base = f"/projects/{world.project.pk}/documents/operation/8-6-1/entries/{entry.pk}/"
    client = client_for("lead")
    assert client.get(base + "edit/").status_code == 403
    assert client.post(base + "delete/").status_code == 403
    assert EvidenceEntry.objects.filter(pk=entry.pk, summary=entry.summary).exists()


def test_a_huge_field_is_cut_with_a_mark_when_frozen(world, month):
    """The connector cuts on the way in (connectors/normalise.py); freezing cuts again to each
    column, so nothing longer than the frozen table holds can reach it."""
    row = {"connector_id": 1, "external_id": "E" * 900, **{name: None for name in KEY_FIELDS}}
    row.update(title="x" * 5000, queue="q" * 300, reopened_count=0)
    values = frozen_values(row)
    assert len(values["title"]) == 500 and values["title"].endswith(CUT_MARK)
    assert len(values["queue"]) == 200 and values["external_id"].endswith(CUT_MARK)
    ticket(month, opened=when(2026, 11, 5), hours=1, title="y" * 492 + CUT_MARK)  # cut by the connector
    population = services.population_freeze(
        project=world.project, clause="8.6.1", month=date(2026, 11, 1), user=world.user("lead"), today=TODAY
    )
    longest = max(FrozenTicket.objects.filter(population=population).values_list("title", flat=True), key=len)
    assert len(longest) == 499 and longest.endswith(CUT_MARK)


def test_the_daily_sweep_freezes_closed_months_once(world, month, monkeypatch):
    import time_machine

    from connectors.evidence import tasks

    queued = []
    monkeypatch.setattr(tasks.freeze_project_months, "delay", queued.append)
    assert tasks.freeze_sweep() == 1 and queued == [world.project.pk]
    with time_machine.travel("2026-12-06 03:00Z", tick=False):
        assert tasks.freeze_project_months(world.project.pk) == 3
        assert tasks.freeze_project_months(world.project.pk) == 0
    assert Population.objects.filter(project=world.project, frozen_by__isnull=True).count() == 3
