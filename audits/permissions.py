"""Who may do what in audits (PRODUCT.md, "Who may do what"). Everyone in the project reads."""

from projects.models import Role

PLANNERS = (Role.LEAD, Role.AUDITOR)


def can_plan_audits(access) -> bool:
    """Plan audits and edit the programme: the lead and the auditors."""
    return access.role in PLANNERS


def on_audit_team(user_id, audit) -> bool:
    return audit.lead_auditor_id == user_id or any(member.pk == user_id for member in audit.team.all())


def can_manage_audit(access, audit) -> bool:
    """Edit, start, issue the report of and close an audit: the lead or an auditor on its team."""
    return access.is_lead or (access.role == Role.AUDITOR and on_audit_team(access.user.pk, audit))


def can_record_findings(access, audit) -> bool:
    """The lead (transcribes certification-body findings) or an auditor on the audit's team."""
    return can_manage_audit(access, audit)


def can_edit_finding(access, finding) -> bool:
    """An audit finding: its audit's team and the lead. A nonconformity from another source: the
    lead and whoever recorded it."""
    if finding.audit is None:
        return access.is_lead or finding.raised_by_id == access.user.pk
    return can_record_findings(access, finding.audit)


def can_respond_to_finding(access, finding) -> bool:
    """Correction, root cause and corrective actions: the lead or the finding's owner."""
    return finding.is_nonconformity and (access.is_lead or finding.owner_id == access.user.pk)


def can_work_on_action(access, action) -> bool:
    return action.owner_id == access.user.pk


def can_verify_action(access, action) -> bool:
    return access.role in PLANNERS and action.owner_id != access.user.pk


def can_propose_improvement(access) -> bool:
    return access.role in (Role.LEAD, Role.CONTRIBUTOR, Role.AUDITOR)


def can_edit_improvement(access, improvement) -> bool:
    return access.is_lead or improvement.owner_id == access.user.pk


def can_run_review(access) -> bool:
    return access.is_lead
