"""The certification cycle starts at the certification decision, not the project start: expiry three
years on, surveillance audits due within 12 and 24 months, recertification before expiry, a transfer
audit type; due surveillance audits reach the lead's reminders."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from audits import certification, selectors
from audits.models import AuditProgramme, AuditType, Grade
from projects.models import Project
from tests.factories import hold_audit, make_audit, make_finding

pytestmark = pytest.mark.django_db


def _held_stage1(world):
    lead = world.user("lead")
    stage1 = make_audit(world.project, user=lead, audit_type=AuditType.STAGE1, title="Stage 1")
    return hold_audit(stage1, user=lead)


def _held_stage2(world, **kwargs):
    lead = world.user("lead")
    _held_stage1(world)  # Stage 2 is held after Stage 1 (17021-1 9.3)
    kwargs.setdefault("start_in", -5)  # ended before today: the decision follows its end
    return hold_audit(make_audit(world.project, user=lead, audit_type=AuditType.STAGE2, **kwargs), user=lead)


def _decide(world, day, version=None):
    return certification.certification_decision_record(
        project=world.project,
        user=world.user("lead"),
        decision_date=day,
        certificate_number="ISO20K-0042",
        expected_version=version,
    )


def test_the_certificate_runs_three_years_from_the_decision():
    assert certification.certificate_expiry(date(2027, 3, 15)) == date(2030, 3, 14)
    assert certification.certificate_expiry(date(2028, 2, 29)) == date(2031, 2, 27)


def test_no_decision_before_a_stage_2_report(world):
    with pytest.raises(ValidationError) as error:
        _decide(world, timezone.localdate())
    assert "No Stage 2" in str(error.value)
    assert not AuditProgramme.objects.filter(certification_decision_date__isnull=False).exists()


def test_an_open_stage_2_major_nc_stops_the_decision(world):
    _held_stage1(world)
    stage2 = make_audit(world.project, user=world.user("lead"), audit_type=AuditType.STAGE2, scope=("8.1",))
    major = make_finding(stage2, user=world.user("lead"), grade=Grade.MAJOR_NC, clause="8.1", due_date=None)
    hold_audit(stage2, user=world.user("lead"))
    with pytest.raises(ValidationError) as error:
        _decide(world, timezone.localdate())
    assert major.reference in str(error.value) and "certification body must verify" in str(error.value)


def test_the_decision_starts_the_cycle_and_sets_the_surveillance_dates(world):
    _held_stage2(world)
    today = timezone.localdate()
    Project.objects.filter(pk=world.project.pk).update(start_date=today - timedelta(days=400))
    world.project.refresh_from_db()
    assert selectors.programme_for(world.project).cycle_start == today - timedelta(days=400)
    programme = _decide(world, today)
    assert programme.cycle_start == today  # the decision, not the project start
    cycle = certification.certification_cycle(programme)
    assert cycle.decision == today
    assert cycle.expiry == certification.certificate_expiry(today)
    labels = [(s.audit_type, s.due) for s in cycle.steps]
    assert labels[0] == (AuditType.SURVEILLANCE1, certification.add_months(today, 12))
    # Surveillance 2 in the calendar year after surveillance 1; the recertification audit planned
    # three months (the default lead time) before expiry, so its decision also falls before it.
    s2_year = certification.add_months(today, 12).year + 1
    assert labels[1] == (AuditType.SURVEILLANCE2, date(s2_year, 12, 31))
    assert labels[2] == (AuditType.RECERTIFICATION, certification.add_months(cycle.expiry, -3))
    assert [s.state(today) for s in cycle.steps] == ["not planned"] * 3


def test_a_planned_surveillance_fills_its_step_and_a_late_one_is_flagged(world):
    _held_stage2(world)
    today = timezone.localdate()
    programme = _decide(world, today)
    lead = world.user("lead")
    make_audit(world.project, user=lead, audit_type=AuditType.SURVEILLANCE1, start_in=300)
    make_audit(world.project, user=lead, audit_type=AuditType.SURVEILLANCE2, start_in=800)
    steps = certification.certification_cycle(programme).steps
    assert steps[0].state(today) == "planned"
    assert steps[1].state(today) == "planned too late"


def test_the_programme_page_shows_the_cycle_and_the_lead_records_the_decision(world, client_for):
    _held_stage2(world)
    client = client_for("lead")
    base = f"/projects/{world.project.pk}/audits/"
    page = client.get(base).content.decode()
    assert "Not certified yet" in page and "Record the certification decision" in page
    today = timezone.localdate()
    response = client.post(
        base + "programme/decision/",
        {"decision_date": today.isoformat(), "certificate_number": "C-1", "version": ""},
    )
    assert response.status_code == 302
    page = client.get(base).content.decode()
    expiry = certification.certificate_expiry(today)
    assert 'data-testid="certificate-expiry"' in page and f"{expiry:%-d %b %Y}" in page
    assert page.count('data-testid="cycle-step"') == 3


def test_a_future_decision_date_is_refused(world, client_for):
    _held_stage2(world)
    response = client_for("lead").post(
        f"/projects/{world.project.pk}/audits/programme/decision/",
        {"decision_date": (timezone.localdate() + timedelta(days=3)).isoformat(), "version": ""},
    )
    assert response.status_code == 422
    assert not AuditProgramme.objects.filter(certification_decision_date__isnull=False).exists()


def test_a_transfer_audit_can_be_planned(world):
    audit = make_audit(world.project, user=world.user("lead"), audit_type=AuditType.TRANSFER)
    assert audit.get_audit_type_display() == "Transfer audit" and audit.is_certification


def test_surveillance_due_soon_reaches_the_lead_until_it_is_held(world):
    today = timezone.localdate()
    decision = today - timedelta(days=340)  # surveillance 1 due in about 25 days
    AuditProgramme.objects.create(
        project=world.project, cycle_start=decision, certification_decision_date=decision
    )
    items = certification.surveillance_reminders(today=today)
    (item,) = items
    assert item.user_id == world.user("lead").pk
    assert item.due_date == certification.add_months(decision, 12)
    assert item.category == "Certification audit due" and "Surveillance audit 1" in item.title
    assert certification.surveillance_reminders(today=today, user_id=world.user("viewer").pk) == []
    surveillance = make_audit(world.project, user=world.user("lead"), audit_type=AuditType.SURVEILLANCE1)
    hold_audit(surveillance, user=world.user("lead"))
    assert certification.surveillance_reminders(today=today) == []


def test_surveillance_reminders_take_a_constant_number_of_queries(world, django_assert_max_num_queries):
    from tests.factories import make_project

    today = timezone.localdate()
    decision = today - timedelta(days=340)
    for index in range(6):
        project = make_project(name=f"P{index}", lead=world.user("lead"))
        AuditProgramme.objects.create(
            project=project, cycle_start=decision, certification_decision_date=decision
        )
    with django_assert_max_num_queries(3):
        assert len(certification.surveillance_reminders(today=today)) == 6
