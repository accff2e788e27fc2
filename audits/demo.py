"""Demo audit programme for seed_demo: the internal audits and the certification stages planned,
the first entries of the improvement register, and an early internal audit already held — findings of
every grade with corrective actions open, implemented and verified effective — followed by a
finalised management review. Each step runs at its own moment in the past (projects.demo_clock), so
the lifecycle, the history and the activity feed read like months of work."""

from datetime import timedelta

from audits import reviews, services
from audits.clauses import leaf_clauses
from audits.models import AuditType, Grade, ImprovementStatus, OutputKind
from kernel.clauses import top_clause
from projects.demo_clock import days_ago, demo_clock
from projects.roadmap import PhaseKey
from projects.services import project_progress_refresh

STAMPS = ()  # every audits row takes its moments from the clock (services pass timezone.now())


def _leaves(project, tops) -> list[str]:
    return [c.number for c in leaf_clauses(project) if top_clause(c.number) in tops]


def seed_audits(project, users) -> None:
    _seed_early_audit_and_review(project, users)
    _seed_programme(project, users)


def _seed_programme(project, users) -> None:
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


# The early internal audit of the documented system, its findings and the review after it ----------

FINDINGS = (
    # (grade, clause, description, evidence, days ago raised)
    (
        Grade.MAJOR_NC,
        "6.1",
        "Risks to the services are listed, but no acceptance criteria are set and none of the risks "
        "that affect customers has a treatment or an owner.",
        "Risk register v0.3 (42 risks, no owner column); interview with the service delivery manager.",
        44,
    ),
    (
        Grade.MINOR_NC,
        "7.5.3",
        "Two procedures are in use in the service desk without a recorded approval.",
        "Password reset and laptop return procedures on the team wiki, no version or approver.",
        44,
    ),
    (
        Grade.MINOR_NC,
        "7.2",
        "Training records for the service desk staff hired this year are incomplete.",
        "3 of 7 new starters have no record of the incident process training.",
        43,
    ),
    (
        Grade.OBSERVATION,
        "5.2.2",
        "The service management policy is published, but the Tampere team had not seen it.",
        "Four interviews in Tampere; the intranet page has no Finnish summary.",
        43,
    ),
    (
        Grade.OFI,
        "7.4",
        "Service reviews with customers could reuse the monthly SLA report instead of a separate deck.",
        "",
        43,
    ),
    (
        Grade.POSITIVE,
        "5.1",
        "The executive sponsor chairs the monthly SMS steering meeting and follows up every action.",
        "Steering minutes January to April.",
        43,
    ),
)

REVIEW_NOTES = {
    "previous_actions": "First review of the SMS; no earlier actions.",
    "context_changes": "A second data centre in Tampere goes live next quarter; two new public-sector "
    "customers bring stricter reporting requirements.",
    "performance": "The early internal audit found one major and two minor nonconformities; the major one "
    "(risk treatment) is being corrected. Incident SLA met in 94% of cases against a 95% target.",
    "customer_satisfaction": "Satisfaction survey: 7.8 of 10 from 41 answers; three complaints, all about "
    "slow access requests.",
    "other_parties": "The hosting supplier missed one monthly report; the network supplier met its targets.",
    "resources": "The service desk runs at capacity on Mondays; one internal auditor is not enough for "
    "the full programme.",
    "risks": "Customer-impacting risks lack owners (see the major nonconformity); treatment plans are due "
    "next month.",
    "improvement": "Automating the SLA report and a Finnish policy summary were proposed.",
}

OUTPUTS = (
    (OutputKind.IMPROVEMENT, "Automate the monthly SLA report from the ITSM tool.", True),
    (OutputKind.CHANGES, "Bring the Tampere data centre into the SMS scope before Stage 1.", False),
    (OutputKind.RESOURCES, "Train a second internal auditor from the Tampere team.", True),
)


def _seed_early_audit_and_review(project, users) -> None:
    lead, auditor, contributor = users["lead"], users["auditor"], users["contributor"]
    with demo_clock(days_ago(60), stamp=STAMPS):
        audit = services.audit_create(
            project=project,
            user=lead,
            audit_type=AuditType.INTERNAL,
            title="Internal audit 0: documented system (clauses 5 to 7)",
            planned_start=days_ago(45).date(),
            planned_end=days_ago(43).date(),
            lead_auditor=auditor,
            team=[auditor],
            scope_clauses=_leaves(project, ("5", "6", "7")),
        )
    with demo_clock(days_ago(45, 9), stamp=STAMPS):
        audit = services.audit_advance(audit=audit, user=auditor, to_status="in_progress")
    findings = []
    for index, (grade, clause, description, evidence, ago) in enumerate(FINDINGS):
        with demo_clock(days_ago(ago, 11, index * 9), stamp=STAMPS):
            nonconformity = grade in (Grade.MAJOR_NC, Grade.MINOR_NC)
            findings.append(
                services.finding_create(
                    audit=audit,
                    user=auditor,
                    grade=grade,
                    clause=clause,
                    description=description,
                    evidence=evidence,
                    owner=contributor if nonconformity else None,
                    due_date=None,  # the grade's rule sets it
                )
            )
    with demo_clock(days_ago(40, 15), stamp=STAMPS):
        services.audit_advance(
            audit=audit,
            user=auditor,
            to_status="report_issued",
            report_summary="The documented system is largely in place. Risk treatment (6.1) is not yet "
            "working; document approval and training records have gaps.",
        )
    major, minor_closed, minor_open, _observation, ofi, _positive = findings
    with demo_clock(days_ago(39, 10), stamp=STAMPS):
        services.improvement_create(
            project=project,
            user=auditor,
            finding=ofi,
            title="Reuse the monthly SLA report in customer service reviews",
            owner=lead,
            status=ImprovementStatus.PROPOSED,
        )
    # The answers: correction, root cause, corrective actions (due in so many days from today), in
    # three different states: implemented awaiting verification, verified effective, open and late.
    plans = (
        (
            major,
            38,
            "Owners named for the 12 customer-impacting risks.",
            "The risk method never said who owns a risk or when it is treated.",
            "Add risk acceptance criteria and owners to the risk "
            "procedure; treat the customer-impacting risks.",
            20,
        ),
        (
            minor_closed,
            36,
            "Both procedures approved and versioned.",
            "The wiki is outside document control.",
            "Move the service desk procedures into the document register.",
            10,
        ),
        (
            minor_open,
            30,
            "Records of the three new starters collected.",
            "Onboarding has no training checklist.",
            "Add the incident process training to the onboarding checklist.",
            -5,
        ),
    )
    actions = []
    for finding, ago, correction, root_cause, action_text, due_in in plans:
        with demo_clock(days_ago(ago, 14), stamp=STAMPS):
            finding = services.finding_respond(
                finding=finding,
                user=contributor,
                expected_version=finding.version,
                correction=correction,
                root_cause=root_cause,
                # the two questions 10.1 asks before a nonconformity may close
                similar_nonconformities="Looked for the same cause in the other processes: none found.",
                actions_appropriate="Yes: the action removes the cause, at a cost in proportion to the risk.",
            )
        with demo_clock(days_ago(ago - 1, 9), stamp=STAMPS):
            actions.append(
                services.action_create(
                    finding=finding,
                    user=contributor,
                    description=action_text,
                    owner=contributor,
                    due_date=days_ago(0).date() + timedelta(days=due_in),
                )
            )
    major_action, closed_action, _open_action = actions
    with demo_clock(days_ago(25, 16), stamp=STAMPS):
        closed_action = services.action_implement(
            action=closed_action,
            user=contributor,
            expected_version=closed_action.version,
            notes="Both procedures are now DOC-31 and DOC-32 in the register, approved by the lead.",
        )
    with demo_clock(days_ago(20, 11), stamp=STAMPS):
        services.action_verify(
            action=closed_action,
            user=auditor,
            expected_version=closed_action.version,
            effective=True,
            notes="Sampled the wiki: no procedure left outside the register; both versions approved.",
        )
    with demo_clock(days_ago(8, 17), stamp=STAMPS):
        services.action_implement(
            action=major_action,
            user=contributor,
            expected_version=major_action.version,
            notes="Risk procedure v1.1 approved; 12 customer-impacting risks have owners and treatments.",
        )
    with demo_clock(days_ago(40, 16)):
        project_progress_refresh(project=project)  # phase 11 started with this audit, not today
    _seed_review(project, users)
    with demo_clock(days_ago(29, 11)):
        project_progress_refresh(project=project)


def _seed_review(project, users) -> None:
    lead, viewer, auditor = users["lead"], users["viewer"], users["auditor"]
    with demo_clock(days_ago(34, 9), stamp=STAMPS):
        review = reviews.review_create(
            project=project,
            user=lead,
            title="Management review 1 — readiness of the documented system",
            meeting_date=days_ago(30).date(),
            attendees=[lead, viewer, auditor],
            top_management=[viewer],
            other_attendees="Mika Virtanen (head of hosting)",
        )
    with demo_clock(days_ago(30, 15), stamp=STAMPS):
        for section in review.sections.all():
            reviews.review_section_update(
                section=section, user=lead, expected_version=section.version, notes=REVIEW_NOTES[section.key]
            )
        for kind, text, as_task in OUTPUTS:
            output = reviews.review_output_create(review=review, user=lead, kind=kind, text=text)
            if as_task:
                reviews.review_output_to_task(output=output, user=lead)
    with demo_clock(days_ago(29, 10), stamp=STAMPS):
        review.refresh_from_db()
        reviews.review_finalise(review=review, user=lead)
