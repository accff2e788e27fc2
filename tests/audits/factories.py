from datetime import timedelta

from django.utils import timezone

from audits import services
from audits.models import Audit, AuditType, Grade
from audits.reviews import review_create
from tests.gapanalysis.factories import iso_template


def ensure_checklist_template():
    """The shipped ISO template comes with a data migration, which a transactional test's flush
    removes; reload it so audits can be scoped to its clauses."""
    return iso_template()


def make_audit(project, *, user, audit_type=AuditType.INTERNAL, scope=("9.2",), team=(), **fields):
    ensure_checklist_template()
    today = timezone.localdate()
    return services.audit_create(
        project=project,
        user=user,
        audit_type=audit_type,
        title=fields.pop("title", "Internal audit"),
        planned_start=fields.pop("planned_start", today),
        planned_end=fields.pop("planned_end", today + timedelta(days=2)),
        lead_auditor=fields.pop("lead_auditor", user),
        scope_clauses=list(scope),
        team=list(team),
        **fields,
    )


def hold_audit(audit, *, user) -> Audit:
    """Move an audit to "report issued"."""
    audit = services.audit_advance(audit=audit, user=user, to_status="in_progress")
    return services.audit_advance(audit=audit, user=user, to_status="report_issued", report_summary="Done.")


def make_finding(audit, *, user, grade=Grade.MINOR_NC, clause="9.2", owner=None, due_in=30, **fields):
    due = timezone.localdate() + timedelta(days=due_in) if grade in (Grade.MAJOR_NC, Grade.MINOR_NC) else None
    return services.finding_create(
        audit=audit,
        user=user,
        grade=grade,
        clause=clause,
        description=fields.pop("description", "Audit results are not retained."),
        evidence=fields.pop("evidence", "No report for the March audit."),
        owner=owner,
        due_date=fields.pop("due_date", due),
    )


def make_action(finding, *, user, owner, due_in=14):
    finding = services.finding_respond(
        finding=finding,
        user=user,
        expected_version=finding.version,
        correction="Report written.",
        root_cause="No one owned report filing.",
    )
    return services.action_create(
        finding=finding,
        user=user,
        description="Name a report owner in the audit procedure.",
        owner=owner,
        due_date=timezone.localdate() + timedelta(days=due_in),
    )


def make_review(project, *, user, attendees=()):
    return review_create(
        project=project, user=user, title="Review", meeting_date=timezone.localdate(), attendees=attendees
    )
