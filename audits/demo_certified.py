"""The certified demo project's audit story for seed_demo: a whole first cycle up to the first
surveillance year. Internal audits over every clause, a management review after them, Stage 1 with
two areas of concern (one closed with evidence, one accepted by the lead), Stage 2 with a minor
nonconformity whose correction and plan the body accepted, the certification decision about six
months ago, and surveillance 1 planned within 12 months of it. Each step at its own moment."""

from datetime import timedelta

from django.utils import timezone

from audits import certification, concerns, reviews, services
from audits.clauses import leaf_clauses
from audits.models import AuditType, Grade, ImprovementStatus
from gapanalysis.models import Response, Result
from projects.demo_clock import days_ago, demo_clock
from projects.scheduling import add_months

from .demo import OUTPUTS, REVIEW_NOTES, STAMPS

CERTIFICATION_BODY = "Northbridge Certification"
DECISION_DAYS_AGO = 170


def _leaves(project, tops=None) -> list[str]:
    return [c.number for c in leaf_clauses(project) if tops is None or c.number.split(".")[0] in tops]


def _held(project, user, *, audit_type, title, ago, scope, team=(), summary, findings=None, external=""):
    """Plan, start, answer the checklist, (record findings) and issue the report, each on its day."""
    with demo_clock(days_ago(ago + 30), stamp=STAMPS):
        audit = services.audit_create(
            project=project,
            user=user,
            audit_type=audit_type,
            title=title,
            planned_start=days_ago(ago).date(),
            planned_end=days_ago(ago - 2).date(),
            lead_auditor=None if external else user,
            team=list(team),
            external_auditors=external,
            scope_clauses=scope,
        )
    with demo_clock(days_ago(ago, 9), stamp=STAMPS):
        audit = services.audit_advance(audit=audit, user=user, to_status="in_progress")
        Response.objects.filter(assessment=audit.checklist_id).update(
            result=Result.CONFORMANT, answered_by=user, answered_at=timezone.now()
        )
    made = findings(audit) if findings else None
    with demo_clock(days_ago(ago - 2, 16), stamp=STAMPS):
        audit = services.audit_advance(
            audit=audit, user=user, to_status="report_issued", report_summary=summary
        )
    return audit, made


def seed_certified_audits(project, users) -> None:
    lead, auditor, contributor, viewer = (
        users["lead"],
        users["auditor"],
        users["contributor"],
        users["viewer"],
    )
    _held(
        project,
        auditor,
        audit_type=AuditType.INTERNAL,
        title="Internal audit 1: clauses 4 to 7",
        ago=330,
        scope=_leaves(project, ("4", "5", "6", "7")),
        team=[auditor],
        summary="Context, leadership, planning and support work as described.",
    )
    _held(
        project,
        auditor,
        audit_type=AuditType.INTERNAL,
        title="Internal audit 2: clauses 8 to 10",
        ago=300,
        scope=_leaves(project, ("8", "9", "10")),
        team=[auditor],
        summary="Operation, performance evaluation and improvement are in place; two OFIs noted.",
    )
    with demo_clock(days_ago(295, 9), stamp=STAMPS):
        review = reviews.review_create(
            project=project,
            user=lead,
            title="Management review 1 — before certification",
            meeting_date=days_ago(290).date(),
            attendees=[lead, viewer, auditor],
            top_management=[viewer],
        )
    with demo_clock(days_ago(290, 15), stamp=STAMPS):
        for section in review.sections.all():
            reviews.review_section_update(
                section=section, user=lead, expected_version=section.version, notes=REVIEW_NOTES[section.key]
            )
        for kind, text, _as_task in OUTPUTS:
            reviews.review_output_create(review=review, user=lead, kind=kind, text=text)
        review.refresh_from_db()
        reviews.review_finalise(review=review, user=lead)
    stage1, _ = _held(
        project,
        lead,
        audit_type=AuditType.STAGE1,
        title=f"Stage 1 by {CERTIFICATION_BODY}",
        ago=260,
        scope=_leaves(project),
        external=f"{CERTIFICATION_BODY} audit team",
        summary="The documented system is ready for Stage 2; two areas of concern.",
    )
    with demo_clock(days_ago(257, 10), stamp=STAMPS):
        closed = concerns.concern_create(
            audit=stage1,
            user=lead,
            description="The capacity plan has not yet been compared with actual demand.",
            clause="8.4.3",
            owner=contributor,
            due_date=days_ago(220).date(),
        )
        accepted = concerns.concern_create(
            audit=stage1,
            user=lead,
            description="Supplier review minutes are kept in e-mail rather than the register.",
            clause="8.3.3",
            owner=lead,
            due_date=days_ago(220).date(),
        )
    with demo_clock(days_ago(230, 14), stamp=STAMPS):
        concerns.concern_close(
            concern=closed,
            user=contributor,
            expected_version=closed.version,
            closure_evidence="Capacity report Q2 compares plan and demand (REC-14, approved).",
        )
        concerns.concern_accept(
            concern=accepted,
            user=lead,
            expected_version=accepted.version,
            acceptance_reason="The minutes are complete and findable; moving them is planned with the "
            "new register and does not affect conformity.",
        )

    def stage2_findings(audit):
        with demo_clock(days_ago(199, 11), stamp=STAMPS):
            return services.finding_create(
                audit=audit,
                user=lead,
                grade=Grade.MINOR_NC,
                clause="7.2",
                description="Competence records of two service desk agents are incomplete.",
                evidence="Training files of 6 agents sampled.",
                owner=contributor,
                due_date=None,
            )

    stage2, minor = _held(
        project,
        lead,
        audit_type=AuditType.STAGE2,
        title=f"Stage 2 by {CERTIFICATION_BODY}",
        ago=200,
        scope=_leaves(project),
        external=f"{CERTIFICATION_BODY} audit team",
        findings=stage2_findings,
        summary="The SMS is effectively implemented. One minor nonconformity (7.2). Recommendation for "
        "certification once the correction and plan are accepted.",
    )
    with demo_clock(days_ago(190, 10), stamp=STAMPS):
        minor = services.finding_respond(
            finding=minor,
            user=contributor,
            expected_version=minor.version,
            correction="Both records completed.",
            root_cause="Onboarding had no competence checklist.",
            similar_nonconformities="The NOC onboarding had the same gap; fixed with the same checklist.",
            actions_appropriate="Yes: the checklist removes the cause at little cost.",
        )
        action = services.action_create(
            finding=minor,
            user=contributor,
            description="Add the competence record to the onboarding checklist.",
            owner=contributor,
            due_date=days_ago(150).date(),
        )
    with demo_clock(days_ago(180, 15), stamp=STAMPS):
        certification.minor_plan_accept(
            finding=minor, user=lead, note=f"{CERTIFICATION_BODY} letter accepting the correction and plan."
        )
    with demo_clock(days_ago(160, 16), stamp=STAMPS):
        action = services.action_implement(
            action=action,
            user=contributor,
            expected_version=action.version,
            notes="Onboarding checklist v2 has the competence record; both new starters since have one.",
        )
    with demo_clock(days_ago(120, 11), stamp=STAMPS):
        services.action_verify(
            action=action,
            user=auditor,
            expected_version=action.version,
            effective=True,
            notes="Sampled the three agents hired since Stage 2: competence records complete.",
        )
    decision = days_ago(DECISION_DAYS_AGO).date()
    with demo_clock(days_ago(DECISION_DAYS_AGO, 12), stamp=STAMPS):
        certification.certification_decision_record(
            project=project,
            user=lead,
            decision_date=decision,
            certificate_number="NB-ISO20K-1187",
            expected_version=None,
        )
    with demo_clock(days_ago(20, 9), stamp=STAMPS):
        start = add_months(decision, 11)
        services.audit_create(
            project=project,
            user=lead,
            audit_type=AuditType.SURVEILLANCE1,
            title=f"Surveillance 1 by {CERTIFICATION_BODY}",
            planned_start=start,
            planned_end=start + timedelta(days=1),
            external_auditors=f"{CERTIFICATION_BODY} audit team",
            scope_clauses=_leaves(project, ("4", "5", "8", "9", "10")),
        )
    _seed_surveillance_year(project, users)


def _seed_surveillance_year(project, users) -> None:
    """The new cycle's internal audits are held; the management review after them is planned, the
    one item left open before surveillance 1."""
    lead, auditor, viewer = users["lead"], users["auditor"], users["viewer"]
    for title, ago, tops, summary in (
        ("Internal audit 3: clauses 4 to 7 and 10", 75, ("4", "5", "6", "7", "10"), "No nonconformity."),
        ("Internal audit 4: clauses 8 and 9", 45, ("8", "9"), "No nonconformity; one OFI on reporting."),
    ):
        _held(
            project,
            auditor,
            audit_type=AuditType.INTERNAL,
            title=title,
            ago=ago,
            scope=_leaves(project, tops),
            team=[auditor],
            summary=summary,
        )
    with demo_clock(days_ago(40, 10), stamp=STAMPS):  # the improvement register of the year
        services.improvement_create(
            project=project,
            user=lead,
            title="Send the monthly availability report from the monitoring tool, not by hand",
            description="Internal audit 4 (OFI): the report is copied from two dashboards each month.",
            owner=users["contributor"],
            status=ImprovementStatus.APPROVED,
        )
        services.improvement_create(
            project=project,
            user=lead,
            title="Offer customers a quarterly capacity outlook",
            owner=lead,
            status=ImprovementStatus.PROPOSED,
        )
    with demo_clock(days_ago(10, 9), stamp=STAMPS):
        reviews.review_create(
            project=project,
            user=lead,
            title="Management review 2 — before surveillance 1",
            meeting_date=days_ago(-20).date(),
            attendees=[lead, viewer, auditor],
            top_management=[viewer],
        )
