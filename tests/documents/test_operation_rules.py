"""Issue 21 §4: evidence that proves operation. Each process is judged by its kind; backdated
entries are flagged; synced entries count for their period; event records need entries of their
kind; one rule for every reader."""

from datetime import date

import pytest
import time_machine
from django.core.exceptions import ValidationError

from documents.models import EvidenceEntry, EvidenceOrigin, OperatingProcess
from documents.operation import services
from documents.operation.processes import process_by_clause
from documents.operation.selectors import operating_period_met, process_statuses
from documents.records import record_states
from tests.factories import add_evidence, add_evidence_everywhere

TODAY = date(2026, 12, 6)


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(date(2026, 12, 6), tick=False):
        yield


def status_of(project, clause, stage=2):
    return next(s for s in process_statuses(project, stage=stage) if s.process.clause == clause)


def start(project, clause, on=date(2026, 1, 1), owner=None):
    OperatingProcess.objects.update_or_create(
        project=project, clause=clause, defaults={"started_on": on, "owner": owner}
    )


def record(project, clause, user, on, *, recorded=None, **extra):
    """An entry through the service, recorded on `recorded` (the day it happened by default)."""
    extra.setdefault("link", "" if extra.get("none_occurred") else "https://itsm.example.test/r")
    with time_machine.travel(recorded or on, tick=False):
        return services.entry_create(
            project=project,
            process=process_by_clause()[clause],
            user=user,
            on=on,
            summary=f"{clause} on {on}",
            **extra,
        )


def test_processes_include_service_reporting_and_service_planning():
    clauses = process_by_clause()
    assert clauses["9.4"].title == "Service reporting" and clauses["9.4"].kind == "continuous"
    assert clauses["8.2.2"].kind == "periodic" and clauses["8.2.3"].kind == "periodic"
    assert clauses["9.2"].kind == clauses["9.3"].kind == clauses["8.7.2"].kind == "periodic"
    assert clauses["8.6.3"].kind == "event"


def test_backdated_evidence_does_not_count_until_the_lead_accepts_it(world, client_for):
    project, lead = world.project, world.user("lead")
    start(project, "8.6.1")
    # three monthly entries all typed in today: only the recent one counts
    for on in (date(2026, 10, 15), date(2026, 11, 15), date(2026, 12, 1)):
        record(project, "8.6.1", lead, on, recorded=TODAY)
    status = status_of(project, "8.6.1")
    assert (status.months, status.flagged, status.period_met) == (2, 1, False)
    page = client_for("viewer").get(f"/projects/{project.pk}/documents/operation/8-6-1/").content.decode()
    assert "Does not count: dated more than 31 days before it was recorded (6 Dec 2026)." in page

    october = EvidenceEntry.objects.get(on=date(2026, 10, 15))
    url = f"/projects/{project.pk}/documents/operation/8-6-1/entries/{october.pk}/accept/"
    assert client_for("lead").post(url, {"reason": ""}).status_code == 422
    assert status_of(project, "8.6.1").period_met is False
    response = client_for("lead").post(url, {"reason": "The October report is in the ITSM archive."})
    assert response.status_code == 302
    october.refresh_from_db()
    assert october.accepted_by == lead and october.accepted_reason.startswith("The October report")
    assert status_of(project, "8.6.1").period_met is True


def test_an_entry_dated_before_the_process_started_is_flagged(world):
    project, lead = world.project, world.user("lead")
    start(project, "8.6.1", on=date(2026, 11, 1))
    record(project, "8.6.1", lead, date(2026, 10, 20))
    status = status_of(project, "8.6.1", stage=1)
    assert (status.flagged, status.operating) == (1, False)
    assert status.missing == "no first record that counts"
    record(project, "8.6.1", lead, date(2026, 11, 20))
    assert status_of(project, "8.6.1", stage=1).operating is True


def test_a_continuous_process_needs_an_unbroken_recent_run(world):
    project, lead = world.project, world.user("lead")
    start(project, "8.6.1")
    for on in (date(2026, 7, 10), date(2026, 8, 10), date(2026, 9, 10), date(2026, 11, 10)):
        record(project, "8.6.1", lead, on)
    # three months in a row, but they end in September: the run must reach November
    status = status_of(project, "8.6.1")
    assert (status.months, status.period_met) == (1, False)
    assert status.missing == "1 of 3 recent months in a row with evidence"
    record(project, "8.6.1", lead, date(2026, 10, 10), recorded=date(2026, 10, 12))
    assert status_of(project, "8.6.1").period_met is True


def test_a_continuous_run_may_end_last_month_but_not_earlier():
    from documents.operation.rules import recent_run

    months = {date(2026, 9, 1), date(2026, 10, 1), date(2026, 11, 1)}
    assert recent_run(months, date(2026, 12, 6)) == 3  # December has just begun
    assert recent_run(months, date(2026, 12, 31)) == 3  # November ended 31 days ago at most
    assert recent_run(months, date(2027, 1, 1)) == 0  # a whole month without evidence: broken


def test_a_periodic_process_needs_one_cycle_within_its_period(world):
    project, lead = world.project, world.user("lead")
    start(project, "9.2")
    record(project, "9.2", lead, date(2025, 11, 20))  # thirteen months ago
    assert status_of(project, "9.2").period_met is False
    assert status_of(project, "9.2").missing == "no completed cycle in the last 12 months"
    record(project, "9.2", lead, date(2026, 3, 2))
    status = status_of(project, "9.2")
    assert status.period_met is True and status.credited_months == project.min_operating_months


def test_an_event_driven_process_takes_the_owner_s_none_occurred_statement(world):
    project, lead, owner = world.project, world.user("lead"), world.user("contributor")
    start(project, "8.6.3", owner=owner)
    record(project, "8.6.3", lead, date(2026, 10, 8))
    record(project, "8.6.3", lead, date(2026, 12, 2))
    assert status_of(project, "8.6.3").period_met is False  # November is a gap
    with pytest.raises(ValidationError) as refused:
        record(project, "8.6.3", lead, date(2026, 11, 30), none_occurred=True, period_start=date(2026, 11, 1))
    assert "Only the process owner" in str(refused.value)
    statement = record(
        project, "8.6.3", owner, date(2026, 11, 30), none_occurred=True, period_start=date(2026, 11, 1)
    )
    assert statement.source_kind == "statement"
    assert status_of(project, "8.6.3").period_met is True


def test_synced_evidence_counts_for_the_period_it_covers(world):
    project, lead = world.project, world.user("lead")
    start(project, "8.6.2")
    entry = record(
        project,
        "8.6.2",
        lead,
        date(2026, 11, 30),
        recorded=TODAY,
        origin=EvidenceOrigin.SYSTEM,
        period_start=date(2026, 9, 1),
    )
    assert entry.origin == "system"
    status = status_of(project, "8.6.2")
    assert (status.flagged, status.months, status.period_met) == (0, 3, True)
    with pytest.raises(ValidationError):  # a synced entry must say which period it covers
        record(project, "8.6.2", lead, date(2026, 12, 1), origin=EvidenceOrigin.SYSTEM)


def test_complaints_are_kept_only_by_complaint_entries(world):
    project, lead = world.project, world.user("lead")
    start(project, "8.3.2", owner=lead)
    for on in (date(2026, 10, 5), date(2026, 11, 5), date(2026, 12, 2)):
        record(project, "8.3.2", lead, on)  # customer meetings: general evidence of the process
    assert status_of(project, "8.3.2").period_met is True
    assert record_states(project)["REC-04"].satisfied is False
    record(project, "8.3.2", lead, date(2026, 10, 9), record_code="REC-04")
    record(project, "8.3.2", lead, date(2026, 12, 1), record_code="REC-04")
    record(
        project,
        "8.3.2",
        lead,
        date(2026, 11, 30),
        record_code="REC-04",
        none_occurred=True,
        period_start=date(2026, 11, 1),
    )
    assert record_states(project)["REC-04"].satisfied is True
    with pytest.raises(ValidationError):  # a kind of record the process does not keep
        record(project, "8.3.2", lead, date(2026, 12, 1), record_code="REC-14")


def test_stage_1_needs_first_records_and_stage_2_the_full_period(world):
    project = world.project
    add_evidence_everywhere(project, months=1)
    assert operating_period_met(project, stage=1) is True
    assert operating_period_met(project, stage=2) is False
    add_evidence_everywhere(project, months=3)
    assert operating_period_met(project, stage=2) is True
    with pytest.raises(ValueError):
        process_statuses(project, stage=3)


def test_every_reader_counts_the_same_processes(world, client_for):
    """The dashboard, the operation page, the register and the phase all use one rule."""
    project = world.project
    add_evidence_everywhere(project, months=3, except_clauses=("8.6.1", "8.5.1", "9.4"))
    add_evidence(project, "8.6.1", months=1)
    headline = "21 of 24 processes meet the minimum operating period (3 months)"
    viewer = client_for("viewer")
    base = f"/projects/{project.pk}/"
    assert headline in viewer.get(base).content.decode()
    assert headline in viewer.get(base + "documents/operation/").content.decode()
    assert headline in viewer.get(base + "documents/").content.decode()
    from documents.operation.selectors import operation_progress

    done, required = operation_progress(project)
    assert (done, required) == (21 * 3 + 1, 24 * 3)


def test_a_none_occurred_statement_alone_does_not_show_a_continuous_process_operating(world):
    project, lead = world.project, world.user("lead")
    start(project, "8.3.2", owner=lead)
    record(
        project,
        "8.3.2",
        lead,
        date(2026, 11, 30),
        record_code="REC-04",
        none_occurred=True,
        period_start=date(2026, 11, 1),
    )
    status = status_of(project, "8.3.2", stage=1)
    assert status.operating is False  # no complaints is no sign that customer relations run
    assert status.records_met["REC-04"] is True  # but it keeps the complaints record for Stage 1


def test_the_owner_records_a_none_occurred_statement_on_the_web_form(world, client_for):
    project = world.project
    start(project, "8.6.3", owner=world.user("contributor"))
    url = f"/projects/{project.pk}/documents/operation/8-6-3/entries/new/"
    form = client_for("contributor").get(url).content.decode()
    assert "Nothing occurred in this period" in form
    data = {"on": "2026-11-30", "period_start": "2026-11-01", "summary": "No problems in November",
            "none_occurred": "on"}  # fmt: skip
    assert client_for("lead").post(url, data).status_code == 422  # the lead is not the owner
    assert client_for("contributor").post(url, data).status_code == 302
    entry = EvidenceEntry.objects.get()
    assert (entry.none_occurred, entry.period_start, entry.link) == (True, date(2026, 11, 1), "")
    page = client_for("viewer").get(f"/projects/{project.pk}/documents/operation/8-6-3/").content.decode()
    assert "None occurred" in page
