"""Demo audit programme for seed_demo: the internal audits and the certification stages planned,
and the first entries of the improvement register."""

from datetime import timedelta

from audits import services
from audits.clauses import leaf_clauses
from audits.models import AuditType, ImprovementStatus
from projects.roadmap import PhaseKey
from sms_tracker.core.clauses import top_clause


def _leaves(project, tops) -> list[str]:
    return [c.number for c in leaf_clauses(project) if top_clause(c.number) in tops]


def seed_audits(project, users) -> None:
    lead, auditor = users["lead"], users["auditor"]
    phases = {p.key: p for p in project.phases.all()}
    internal = phases[PhaseKey.INTERNAL_AUDIT]
    services.audit_create(
        project=project,
        user=lead,
        audit_type=AuditType.INTERNAL,
        title="Internal audit 1: clauses 4 to 7",
        planned_start=internal.planned_start,
        planned_end=internal.planned_start + timedelta(days=4),
        lead_auditor=auditor,
        team=[auditor],
        scope_clauses=_leaves(project, ("4", "5", "6", "7")),
    )
    services.audit_create(
        project=project,
        user=lead,
        audit_type=AuditType.INTERNAL,
        title="Internal audit 2: clauses 8 to 10",
        planned_start=internal.planned_end - timedelta(days=5),
        planned_end=internal.planned_end,
        lead_auditor=auditor,
        team=[auditor],
        scope_clauses=_leaves(project, ("8", "9", "10")),
    )
    for key, audit_type, title in (
        (PhaseKey.STAGE_1, AuditType.STAGE1, "Stage 1 by Northbridge Certification"),
        (PhaseKey.STAGE_2, AuditType.STAGE2, "Stage 2 by Northbridge Certification"),
    ):
        phase = phases[key]
        services.audit_create(
            project=project,
            user=lead,
            audit_type=audit_type,
            title=title,
            planned_start=phase.planned_start,
            planned_end=phase.planned_end,
            external_auditors="Northbridge Certification audit team",
            scope_clauses=_leaves(project, ("4", "5", "6", "7", "8", "9", "10")),
        )
    services.improvement_create(
        project=project,
        user=lead,
        title="Automate the monthly SLA report from the ITSM tool",
        description="Service reports are assembled by hand from three exports; errors crept in twice.",
        owner=users["contributor"],
        status=ImprovementStatus.APPROVED,
    )
    services.improvement_create(
        project=project,
        user=lead,
        title="Add supplier performance to the quarterly customer review",
        owner=lead,
        status=ImprovementStatus.PROPOSED,
    )
