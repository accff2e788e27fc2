"""Who may do what with the ticket evidence. Every member reads; the lead edits the mapping rules
and freezes months; auditors (and the lead, who transcribes a certification body's work) draw
samples, mark the worksheet and turn its results into evidence and findings."""

from projects.models import Role

SAMPLERS = (Role.LEAD, Role.AUDITOR)


def can_edit_rules(access) -> bool:
    return access.is_lead


def can_freeze(access) -> bool:
    return access.is_lead


def can_sample(access) -> bool:
    return access.role in SAMPLERS
