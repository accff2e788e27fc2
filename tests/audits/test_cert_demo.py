"""The demo tells a whole cycle: a certified project in its first surveillance year next to a
project preparing Stage 1 (issue 21)."""

import os

import pytest
from django.core.management import call_command
from django.utils import timezone

from audits import certification
from audits.certification_models import ConcernStatus
from audits.models import AuditProgramme, AuditType
from documents.operation.selectors import operating_period_met, process_statuses
from documents.selectors import mandatory_coverage
from gapanalysis.models import Assessment
from projects.management.commands.seed_demo import CERTIFIED_PROJECT, DEMO_PROJECT
from projects.models import PhaseStatus, Project
from projects.roadmap import PhaseKey
from readiness.gate import readiness

pytestmark = pytest.mark.django_db


def test_seed_demo_makes_a_certified_project_and_one_preparing_stage_1(settings):
    settings.DEBUG = True
    call_command("seed_demo", stdout=open(os.devnull, "w"))
    call_command("seed_demo", stdout=open(os.devnull, "w"))  # idempotent
    today = timezone.localdate()

    certified = Project.objects.get(name=CERTIFIED_PROJECT)
    programme = AuditProgramme.objects.get(project=certified)
    decision = programme.certification_decision_date
    assert 150 <= (today - decision).days <= 200
    assert certification.programme_expiry(programme) == certification.certificate_expiry(decision)
    cycle = certification.certification_cycle(programme)
    surveillance1 = cycle.steps[0]
    assert surveillance1.audit is not None and surveillance1.state(today) == "planned"
    assert surveillance1.due > today  # the first surveillance year
    held = set(certified.audits.filter(status="report_issued").values_list("audit_type", flat=True))
    assert {AuditType.INTERNAL, AuditType.STAGE1, AuditType.STAGE2} <= held
    assert set(certified.areas_of_concern.values_list("status", flat=True)) == {
        ConcernStatus.CLOSED,
        ConcernStatus.ACCEPTED,
    }
    _audits, rows = certification.cycle_coverage(certified, programme)
    assert all(row.covered for row in rows)  # Stage 2 looked at every clause
    assert not [
        b
        for b in readiness(certified, 2).blockers
        if b.category in ("Areas of concern", "Certification Stage 1")
    ]

    preparing = Project.objects.get(name=DEMO_PROJECT)
    assert not AuditProgramme.objects.filter(
        project=preparing, certification_decision_date__isnull=False
    ).exists()
    assert not preparing.audits.filter(audit_type=AuditType.STAGE1, status="report_issued").exists()
    assert preparing.audits.filter(audit_type=AuditType.STAGE1, status="planned").exists()
    assert not readiness(preparing, 1).ready
    assert any(b.category == "Certification Stage 1" for b in readiness(preparing, 2).blockers)


def test_the_certified_demo_project_shows_a_system_in_operation(settings):
    """Borealis's roadmap, register, evidence and gap analysis agree with its audits: dated up to the
    Stage 2 audit, everything required approved, every process past its operating period, and the
    readiness gates clear but for the management review due before surveillance 1."""
    settings.DEBUG = True
    call_command("seed_demo", stdout=open(os.devnull, "w"))
    certified = Project.objects.get(name=CERTIFIED_PROJECT)
    audits = {a.audit_type: a for a in certified.audits.exclude(audit_type=AuditType.INTERNAL)}
    stage1, stage2 = audits[AuditType.STAGE1], audits[AuditType.STAGE2]

    # The roadmap leads up to the Stage 2 audit (not dated two years before it).
    assert certified.target_certification_date == stage2.planned_end
    phases = {p.key: p for p in certified.phases.all()}
    assert (phases[PhaseKey.STAGE_1].planned_start, phases[PhaseKey.STAGE_1].planned_end) == (
        stage1.planned_start,
        stage1.planned_end,
    )
    assert (phases[PhaseKey.STAGE_2].planned_start, phases[PhaseKey.STAGE_2].planned_end) == (
        stage2.planned_start,
        stage2.planned_end,
    )
    before = [p for key, p in phases.items() if key != PhaseKey.STAGE_2]
    assert all(p.planned_start >= certified.start_date for p in phases.values())
    assert all(p.planned_end < stage2.planned_start for p in before)
    assert all(p.status == PhaseStatus.DONE for p in phases.values())

    assert Assessment.objects.filter(
        project=certified, audit__isnull=True, finalised_at__isnull=False
    ).exists()
    coverage = mandatory_coverage(certified)
    assert coverage.required and coverage.approved == coverage.required and not coverage.missing
    assert operating_period_met(certified, stage=2)
    # drawn from the ticketing tool or the owner's statements: nothing the backdating rule flags
    assert not [s.process.clause for s in process_statuses(certified) if s.flagged]

    assert readiness(certified, 1).blockers == []
    stage2_blockers = readiness(certified, 2).blockers
    # the one item open before surveillance 1: the management review after this year's internal audits
    assert [b.category for b in stage2_blockers] == ["Management review"]
