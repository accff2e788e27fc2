"""The demo tells a whole cycle: a certified project in its first surveillance year next to a
project preparing Stage 1 (issue 21)."""

import os

import pytest
from django.core.management import call_command
from django.utils import timezone

from audits import certification
from audits.certification_models import ConcernStatus
from audits.models import AuditProgramme, AuditType
from projects.management.commands.seed_demo import CERTIFIED_PROJECT, DEMO_PROJECT
from projects.models import Project
from projects.readiness import readiness

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
