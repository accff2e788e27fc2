from datetime import timedelta

from django.utils import timezone

from audits import certification, concerns, services
from audits.models import AuditType, Grade, OutputKind
from audits.reviews import review_output_create
from tests.factories import (
    complete_review,
    hold_audit,
    iso_template,
    make_action,
    make_audit,
    make_finding,
    make_review,
)
from tests.permissions.matrix import Case, everyone_reads, only

TODAY = timezone.localdate()


def A(w):
    return f"/projects/{w.project.pk}/audits/"


def audit(w):
    """An internal audit led by the auditor, who is also on its team."""
    return w.obj(
        "audit",
        lambda w: make_audit(
            w.project, user=w.user("lead"), lead_auditor=w.user("auditor"), team=[w.user("auditor")]
        ),
    )


def lead_only_audit(w):
    return w.obj("lead-audit", lambda w: make_audit(w.project, user=w.user("lead"), title="Lead's audit"))


def finding(w):
    """A minor NC the contributor answers."""
    return w.obj(
        "finding", lambda w: make_finding(audit(w), user=w.user("auditor"), owner=w.user("contributor"))
    )


def closed_finding(w):
    def build(w):
        f = make_finding(audit(w), user=w.user("auditor"), owner=w.user("contributor"))
        action = make_action(f, user=w.user("contributor"), owner=w.user("contributor"))
        action = services.action_implement(
            action=action, user=w.user("contributor"), expected_version=action.version, notes="Done"
        )
        services.action_verify(
            action=action, user=w.user("auditor"), expected_version=action.version, effective=True, notes="Ok"
        )
        f.refresh_from_db()
        return f

    return w.obj("closed-finding", build)


def ofi(w):
    return w.obj("ofi", lambda w: make_finding(audit(w), user=w.user("auditor"), grade=Grade.OFI))


def open_action_of(role):
    return lambda w: w.obj(
        f"action-{role}",
        lambda w: make_action(
            make_finding(audit(w), user=w.user("auditor"), owner=w.user("contributor")),
            user=w.user("lead"),
            owner=w.user(role),
        ),
    )


def implemented_action_of(role):
    def build(w):
        action = open_action_of(role)(w)
        return services.action_implement(
            action=action, user=w.user(role), expected_version=action.version, notes="x"
        )

    return lambda w: w.obj(f"implemented-{role}", build)


def responded_finding(w):
    def build(w):
        f = finding(w)
        return services.finding_respond(
            finding=f, user=w.user("contributor"), expected_version=f.version, correction="c", root_cause="r"
        )

    return w.obj("responded", build)


def improvement(w):
    return w.obj(
        "improvement",
        lambda w: services.improvement_create(
            project=w.project, user=w.user("lead"), title="Faster changes", owner=w.user("contributor")
        ),
    )


def review(w):
    return w.obj(
        "review", lambda w: make_review(w.project, user=w.user("lead"), attendees=[w.user("viewer")])
    )


def decided_review(w):
    """A review with everything finalising needs (top management, notes, decisions, a held audit)."""
    return w.obj(
        "decided", lambda w: complete_review(review(w), user=w.user("lead"), decisions="Keep going.")
    )


def review_output(w):
    return w.obj(
        "review-output",
        lambda w: review_output_create(
            review=review(w), user=w.user("lead"), kind=OutputKind.RESOURCES, text="Budget a second auditor"
        ),
    )


def held_stage1(w):
    """A Stage 1 audit with its report issued, led by the auditor (areas of concern come from it)."""
    return w.obj(
        "held-stage1",
        lambda w: hold_audit(
            make_audit(
                w.project,
                user=w.user("lead"),
                audit_type=AuditType.STAGE1,
                title="Stage 1",
                start_in=-20,
                lead_auditor=w.user("auditor"),
                team=[w.user("auditor")],
            ),
            user=w.user("lead"),
        ),
    )


def held_stage2(w):
    """A Stage 2 audit with its report issued (after Stage 1): a certification decision may be recorded."""

    def build(w):
        held_stage1(w)
        stage2 = make_audit(
            w.project, user=w.user("lead"), audit_type=AuditType.STAGE2, title="Stage 2", start_in=-10
        )
        return hold_audit(stage2, user=w.user("lead"))

    return w.obj("held-stage2", build)


def concern(w):
    """An open area of concern from Stage 1, owned by the contributor."""
    return w.obj(
        "concern",
        lambda w: concerns.concern_create(
            audit=held_stage1(w),
            user=w.user("lead"),
            description="Capacity data thin.",
            owner=w.user("contributor"),
        ),
    )


def certified(w):
    """A recorded certification decision (for the transfer)."""

    def build(w):
        held_stage2(w)
        if "stage2-minor" in w.cache:
            # Another case raised a minor in the Stage 2 audit of this world (the POST fuzz builds
            # every case in one world): the decision needs the body's acceptance of its plan.
            certification.minor_plan_accept(
                finding=w.cache["stage2-minor"], user=w.user("lead"), note="Body's letter of 1 May."
            )
        return certification.certification_decision_record(
            project=w.project, user=w.user("lead"), decision_date=TODAY, expected_version=None
        )

    return w.obj("certified", build)


def stage2_minor(w):
    """A minor NC of the Stage 2 audit with its correction and a corrective action."""

    def build(w):
        held_stage2(w)
        stage2 = w.project.audits.get(audit_type=AuditType.STAGE2)
        f = make_finding(stage2, user=w.user("lead"), owner=w.user("contributor"))
        services.finding_respond(
            finding=f,
            user=w.user("lead"),
            expected_version=f.version,
            correction="Fixed.",
            root_cause="No check.",
        )
        f.refresh_from_db()
        make_action(f, user=w.user("lead"), owner=w.user("contributor"))
        return f

    return w.obj("stage2-minor", build)


def decision_data(w):
    held_stage2(w)
    return {"decision_date": TODAY.isoformat(), "certificate_number": "C-1", "version": ""}


def audit_data(w):
    iso_template()
    return {
        "audit_type": AuditType.INTERNAL,
        "title": "Audit of clause 8",
        "planned_start": TODAY.isoformat(),
        "planned_end": (TODAY + timedelta(days=1)).isoformat(),
        "lead_auditor": w.user("auditor").pk,
        "team": [w.user("auditor").pk],
        "scope_clauses": ["8.1", "8.2.1"],
    }


def finding_data(w):
    return {
        "grade": Grade.MINOR_NC,
        "clause": "9.2",
        "description": "No audit report",
        "evidence": "March audit",
        "owner": w.user("contributor").pk,
        "due_date": (TODAY + timedelta(days=30)).isoformat(),
    }


def improvement_data(w):
    return {"title": "Automate reports", "status": "proposed"}


def review_data(w):
    return {"title": "Q1 review", "meeting_date": TODAY.isoformat(), "attendees": [w.user("viewer").pk]}


def section(w):
    return review(w).sections.first()


CASES = [
    Case("audits:programme", lambda w: A(w), everyone_reads()),
    Case("audits:programme_edit", lambda w: A(w) + "programme/edit/", only("lead", "auditor", ok=200)),
    Case(
        "audits:programme_edit",
        lambda w: A(w) + "programme/edit/",
        only("lead", "auditor"),
        method="post",
        data=lambda w: {"cycle_start": TODAY.isoformat(), "objectives": "Cover all clauses"},
    ),
    Case("audits:certification_decision", lambda w: A(w) + "programme/decision/", only("lead", ok=200)),
    Case(
        "audits:certification_decision",
        lambda w: A(w) + "programme/decision/",
        only("lead"),
        method="post",
        data=decision_data,
    ),
    Case("audits:audit_create", lambda w: A(w) + "new/", only("lead", "auditor", ok=200)),
    Case(
        "audits:audit_create",
        lambda w: A(w) + "new/",
        only("lead", "auditor"),
        method="post",
        data=audit_data,
    ),
    Case("audits:audit_detail", lambda w: A(w) + f"{audit(w).pk}/", everyone_reads()),
    Case(
        "audits:audit_edit",
        lambda w: A(w) + f"{audit(w).pk}/edit/",
        only("lead", "auditor", ok=200),
        label="team",
    ),
    Case(
        "audits:audit_edit",
        lambda w: A(w) + f"{lead_only_audit(w).pk}/edit/",
        only("lead", ok=200),
        label="auditor-not-on-team",
    ),
    Case(
        "audits:audit_edit",
        lambda w: A(w) + f"{audit(w).pk}/edit/",
        only("lead", "auditor"),
        method="post",
        data=lambda w: {**audit_data(w), "version": audit(w).version},
    ),
    Case(
        "audits:audit_advance",
        lambda w: A(w) + f"{audit(w).pk}/advance/",
        only("lead", "auditor"),
        method="post",
        data=lambda w: {"to_status": "in_progress"},
    ),
    Case("audits:audit_delete", lambda w: A(w) + f"{audit(w).pk}/delete/", only("lead", "auditor", ok=200)),
    Case(
        "audits:audit_delete",
        lambda w: A(w) + f"{audit(w).pk}/delete/",
        only("lead", "auditor"),
        method="post",
    ),
    Case(
        "audits:finding_create",
        lambda w: A(w) + f"{audit(w).pk}/findings/new/",
        only("lead", "auditor", ok=200),
    ),
    Case(
        "audits:finding_create",
        lambda w: A(w) + f"{lead_only_audit(w).pk}/findings/new/",
        only("lead", ok=200),
        label="auditor-not-on-team",
    ),
    Case(
        "audits:finding_create",
        lambda w: A(w) + f"{audit(w).pk}/findings/new/",
        only("lead", "auditor"),
        method="post",
        data=finding_data,
    ),
    Case("audits:finding_list", lambda w: A(w) + "findings/", everyone_reads()),
    Case("audits:finding_detail", lambda w: A(w) + f"findings/{finding(w).pk}/", everyone_reads()),
    Case(
        "audits:finding_edit",
        lambda w: A(w) + f"findings/{finding(w).pk}/edit/",
        only("lead", "auditor", ok=200),
    ),
    Case(
        "audits:finding_edit",
        lambda w: A(w) + f"findings/{finding(w).pk}/edit/",
        only("lead", "auditor"),
        method="post",
        data=lambda w: {**finding_data(w), "version": finding(w).version},
    ),
    Case(
        "audits:finding_edit",
        lambda w: A(w) + f"findings/{closed_finding(w).pk}/edit/",
        only("lead", "auditor", ok=409),
        method="post",
        data=lambda w: {**finding_data(w), "version": closed_finding(w).version},
        label="closed",
    ),
    Case(
        "audits:finding_respond",
        lambda w: A(w) + f"findings/{finding(w).pk}/respond/",
        only("lead", "contributor", ok=200),
        label="owner",
    ),
    Case(
        "audits:finding_respond",
        lambda w: A(w) + f"findings/{finding(w).pk}/respond/",
        only("lead", "contributor"),
        method="post",
        data=lambda w: {"correction": "Fixed", "root_cause": "No owner", "version": finding(w).version},
    ),
    Case(
        "audits:action_create",
        lambda w: A(w) + f"findings/{responded_finding(w).pk}/actions/new/",
        only("lead", "contributor", ok=200),
    ),
    Case(
        "audits:action_create",
        lambda w: A(w) + f"findings/{responded_finding(w).pk}/actions/new/",
        only("lead", "contributor"),
        method="post",
        data=lambda w: {
            "description": "Assign an owner",
            "owner": w.user("contributor").pk,
            "due_date": (TODAY + timedelta(days=10)).isoformat(),
        },
    ),
    Case(
        "audits:improvement_from_finding",
        lambda w: A(w) + f"findings/{ofi(w).pk}/improvement/",
        only("lead", "auditor"),
        method="post",
    ),
    Case(
        "audits:action_implement",
        lambda w: A(w) + f"actions/{open_action_of('contributor')(w).pk}/implement/",
        only("contributor", ok=200),
    ),
    Case(
        "audits:action_implement",
        lambda w: A(w) + f"actions/{open_action_of('contributor')(w).pk}/implement/",
        only("contributor"),
        method="post",
        data=lambda w: {"notes": "Procedure updated", "version": open_action_of("contributor")(w).version},
        label="contributor-owner",
    ),
    Case(
        "audits:action_implement",
        lambda w: A(w) + f"actions/{open_action_of('viewer')(w).pk}/implement/",
        only("viewer"),
        method="post",
        data=lambda w: {"notes": "Signed", "version": open_action_of("viewer")(w).version},
        label="viewer-owner",
    ),
    Case(
        "audits:action_verify",
        lambda w: A(w) + f"actions/{implemented_action_of('contributor')(w).pk}/verify/",
        only("lead", "auditor", ok=200),
    ),
    Case(
        "audits:action_verify",
        lambda w: A(w) + f"actions/{implemented_action_of('contributor')(w).pk}/verify/",
        only("lead", "auditor"),
        method="post",
        data=lambda w: {
            "effective": "1",
            "notes": "Checked",
            "version": implemented_action_of("contributor")(w).version,
        },
    ),
    Case(
        "audits:action_verify",
        lambda w: A(w) + f"actions/{implemented_action_of('auditor')(w).pk}/verify/",
        only("lead"),
        method="post",
        data=lambda w: {
            "effective": "1",
            "notes": "Checked",
            "version": implemented_action_of("auditor")(w).version,
        },
        label="auditor-owns-action",
    ),
    Case("audits:improvement_list", lambda w: A(w) + "improvements/", everyone_reads()),
    Case(
        "audits:improvement_create",
        lambda w: A(w) + "improvements/new/",
        only("lead", "contributor", "auditor", ok=200),
    ),
    Case(
        "audits:improvement_create",
        lambda w: A(w) + "improvements/new/",
        only("lead", "contributor", "auditor"),
        method="post",
        data=improvement_data,
    ),
    Case(
        "audits:improvement_edit",
        lambda w: A(w) + f"improvements/{improvement(w).pk}/edit/",
        only("lead", "contributor", ok=200),
    ),
    Case(
        "audits:improvement_edit",
        lambda w: A(w) + f"improvements/{improvement(w).pk}/edit/",
        only("lead", "contributor"),
        method="post",
        data=lambda w: {**improvement_data(w), "version": improvement(w).version},
    ),
    Case("audits:review_list", lambda w: A(w) + "reviews/", everyone_reads()),
    Case("audits:review_create", lambda w: A(w) + "reviews/new/", only("lead", ok=200)),
    Case(
        "audits:review_create", lambda w: A(w) + "reviews/new/", only("lead"), method="post", data=review_data
    ),
    Case("audits:review_detail", lambda w: A(w) + f"reviews/{review(w).pk}/", everyone_reads()),
    Case("audits:review_edit", lambda w: A(w) + f"reviews/{review(w).pk}/edit/", only("lead", ok=200)),
    Case(
        "audits:review_edit",
        lambda w: A(w) + f"reviews/{review(w).pk}/edit/",
        only("lead"),
        method="post",
        data=lambda w: {**review_data(w), "decisions": "More audits", "version": review(w).version},
    ),
    Case(
        "audits:review_section_edit",
        lambda w: A(w) + f"reviews/{review(w).pk}/sections/{section(w).pk}/",
        only("lead", ok=200),
    ),
    Case(
        "audits:review_section_edit",
        lambda w: A(w) + f"reviews/{review(w).pk}/sections/{section(w).pk}/",
        only("lead", ok=200),
        method="post",
        htmx=True,
        data=lambda w: {
            f"s{section(w).pk}-notes": "Discussed",
            f"s{section(w).pk}-version": section(w).version,
        },
    ),
    Case(
        "audits:review_prefill",
        lambda w: A(w) + f"reviews/{review(w).pk}/prefill/",
        only("lead"),
        method="post",
    ),
    Case(
        "audits:review_action_create",
        lambda w: A(w) + f"reviews/{review(w).pk}/actions/new/",
        only("lead", ok=200),
    ),
    Case(
        "audits:review_action_create",
        lambda w: A(w) + f"reviews/{review(w).pk}/actions/new/",
        only("lead"),
        method="post",
        data=lambda w: {"title": "Hire an auditor", "assignee": w.user("contributor").pk, "priority": "high"},
    ),
    Case(
        "audits:review_finalise",
        lambda w: A(w) + f"reviews/{decided_review(w).pk}/finalise/",
        only("lead", ok=200),
    ),
    Case(
        "audits:review_finalise",
        lambda w: A(w) + f"reviews/{decided_review(w).pk}/finalise/",
        only("lead"),
        method="post",
    ),
    Case(
        "audits:review_output_create",
        lambda w: A(w) + f"reviews/{review(w).pk}/outputs/new/",
        only("lead", ok=200),
    ),
    Case(
        "audits:review_output_create",
        lambda w: A(w) + f"reviews/{review(w).pk}/outputs/new/",
        only("lead"),
        method="post",
        data=lambda w: {"kind": "improvement", "text": "Automate the SLA report"},
    ),
    Case(
        "audits:review_output_task",
        lambda w: A(w) + f"reviews/{review(w).pk}/outputs/{review_output(w).pk}/task/",
        only("lead"),
        method="post",
    ),
    Case("readiness:page", lambda w: A(w) + "readiness/", everyone_reads()),
    Case("readiness:page", lambda w: A(w) + "readiness/?stage=2", everyone_reads(), label="stage2"),
    Case("readiness:summary", lambda w: A(w) + "readiness/summary/", everyone_reads(), htmx=True),
    Case("audits:concern_list", lambda w: A(w) + "concerns/", everyone_reads()),
    Case("audits:concern_detail", lambda w: A(w) + f"concerns/{concern(w).pk}/", everyone_reads()),
    Case(
        "audits:concern_create",
        lambda w: A(w) + f"{held_stage1(w).pk}/concerns/new/",
        only("lead", "auditor", ok=200),
    ),
    Case(
        "audits:concern_create",
        lambda w: A(w) + f"{held_stage1(w).pk}/concerns/new/",
        only("lead", "auditor"),
        method="post",
        data=lambda w: {"description": "Supplier minutes in e-mail.", "clause": "8.3.3"},
    ),
    Case(
        "audits:concern_close",
        lambda w: A(w) + f"concerns/{concern(w).pk}/close/",
        only("lead", "contributor"),
        method="post",
        data=lambda w: {"closure_evidence": "Capacity report v2.", "version": concern(w).version},
    ),
    Case(
        "audits:concern_accept",
        lambda w: A(w) + f"concerns/{concern(w).pk}/accept/",
        only("lead"),
        method="post",
        data=lambda w: {"acceptance_reason": "Low risk; planned.", "version": concern(w).version},
    ),
    Case("audits:certification_settings", lambda w: A(w) + "programme/settings/", only("lead", ok=200)),
    Case(
        "audits:certification_settings",
        lambda w: A(w) + "programme/settings/",
        only("lead"),
        method="post",
        data=lambda w: {
            "major_nc_warn_months": 2,
            "major_nc_limit_months": 6,
            "recertification_lead_months": 3,
            "version": "",
        },
    ),
    Case("audits:certificate_transfer", lambda w: A(w) + "programme/transfer/", only("lead", ok=200)),
    Case(
        "audits:certificate_transfer",
        lambda w: A(w) + "programme/transfer/",
        only("lead"),
        method="post",
        data=lambda w: {
            "to_body": f"Southgate Assurance {certified(w).pk}",
            "reviewed_on": TODAY.isoformat(),
            "reviewer": "J. Smith",
            "summary": "Certificate valid, no open majors.",
        },
    ),
    Case("audits:certification_coverage", lambda w: A(w) + "certification/coverage/", everyone_reads()),
    Case(
        "audits:finding_plan_accept",
        lambda w: A(w) + f"findings/{stage2_minor(w).pk}/plan-accepted/",
        only("lead", ok=200),
    ),
    Case(
        "audits:finding_plan_accept",
        lambda w: A(w) + f"findings/{stage2_minor(w).pk}/plan-accepted/",
        only("lead"),
        method="post",
        data=lambda w: {"note": "Body's letter of 3 May."},
    ),
    # nonconformities from any source: whoever meets one in their work records it; viewers read
    Case(
        "audits:nonconformity_create",
        lambda w: A(w) + "nonconformities/new/",
        only("lead", "auditor", "contributor", ok=200),
    ),
    Case(
        "audits:nonconformity_create",
        lambda w: A(w) + "nonconformities/new/",
        only("lead", "auditor", "contributor"),
        method="post",
        data=lambda w: {
            "source": "complaint",
            "grade": "minor_nc",
            "clause": "8.3.2",
            "description": "Complaint answered late",
            "owner": w.user("contributor").pk,
        },
    ),
    # competence records: everyone reads, the lead keeps them
    Case("audits:competence_list", lambda w: A(w) + "competence/", everyone_reads()),
    Case("audits:competence_create", lambda w: A(w) + "competence/new/", only("lead", ok=200)),
    Case(
        "audits:competence_create",
        lambda w: A(w) + "competence/new/",
        only("lead"),
        method="post",
        data=lambda w: {
            "person": w.user("auditor").pk,
            "kind": "training",
            "title": "Internal auditor course",
            "obtained_on": TODAY.isoformat(),
        },
    ),
    Case(
        "audits:competence_delete",
        lambda w: A(w) + f"competence/{competence_line(w).pk}/delete/",
        only("lead", ok=200),
    ),
    Case(
        "audits:competence_delete",
        lambda w: A(w) + f"competence/{competence_line(w).pk}/delete/",
        only("lead"),
        method="post",
    ),
]


def competence_line(w):
    from audits.models import AuditorCompetence

    return w.obj(
        "competence",
        lambda w: AuditorCompetence.objects.create(
            project=w.project, person=w.user("auditor"), kind="training", title="Course", obtained_on=TODAY
        ),
    )
