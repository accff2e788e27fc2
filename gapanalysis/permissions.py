"""Who may do what with assessments (PRODUCT.md): every member reads; the lead manages;
the lead and the auditors assigned to an assessment (per clause where set) answer."""

from projects.models import Role

ANSWERER_ROLES = (Role.LEAD, Role.AUDITOR)


def can_manage_assessments(access) -> bool:
    """Create assessments, assign auditors, finalise and reopen, import and export templates."""
    return access.is_lead


def can_answer_clause(access, assessment, clause_id, assignments) -> bool:
    """`assignments` is the set of clause ids (None = the whole assessment) the user is assigned to."""
    if assessment.is_finalised or access.role not in ANSWERER_ROLES:
        return False
    if access.is_lead:
        return True
    return None in assignments or clause_id in assignments
