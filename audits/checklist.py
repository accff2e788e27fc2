"""The audit checklist is a gap-analysis Assessment of kind "audit", scoped to the audit's
clauses and filled through the gap-analysis pages: one mechanism for both."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from gapanalysis import services as gap_services
from gapanalysis.models import AssessmentKind

from .clauses import audit_template


def _auditor_ids(audit) -> list[int]:
    ids = {member.pk for member in audit.team.all()}
    if audit.lead_auditor_id:
        ids.add(audit.lead_auditor_id)
    return sorted(ids)


def checklist_create(*, audit, user):
    """Build the checklist from the questions of the scoped clauses when the audit starts; the
    audit's team are its assigned auditors."""
    if audit.checklist_id:
        return audit.checklist
    template = audit_template()
    if template is None:
        raise ValidationError(_("No ISO/IEC 20000-1:2018 checklist template is installed."))
    assessment = gap_services.assessment_create(
        project=audit.project,
        template=template,
        kind=AssessmentKind.AUDIT,
        title=_("Checklist: %(title)s") % {"title": audit.title},  # in the language of who starts it
        clause_numbers=audit.scope_clauses,
        auditor_ids=_auditor_ids(audit),
        user=user,
    )
    audit.checklist = assessment
    return assessment


def checklist_sync_auditors(*, audit, user) -> None:
    """Keep the checklist's assigned auditors equal to the audit's team."""
    if audit.checklist_id and not audit.checklist.is_finalised:
        gap_services.assessment_assign_auditors(
            assessment=audit.checklist, assignments={uid: None for uid in _auditor_ids(audit)}, user=user
        )


def checklist_finalise(*, audit, user) -> None:
    """The report is issued: the checklist becomes read-only, like a finalised gap assessment."""
    if audit.checklist_id:
        gap_services.assessment_finalise(assessment=audit.checklist, user=user)
