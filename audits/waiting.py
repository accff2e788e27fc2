"""What audits put under "Waiting for my approval" on My work (kernel.extensions):
corrective actions implemented and waiting for someone to verify them, and nonconformities whose
owner has still to answer (correction and root cause) or that were reopened."""

from django.db.models import F, Q
from django.urls import reverse
from django.utils import formats
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from kernel.extensions import WaitingItem, WaitingSource

from .models import ActionStatus, CorrectiveAction, Finding, FindingStatus
from .permissions import PLANNERS


def actions_to_verify(user):
    """Implemented actions in projects where the user verifies (lead or auditor), not their own.
    One filter() call, so the role and the membership are those of the same row."""
    return (
        CorrectiveAction.objects.filter(
            status=ActionStatus.IMPLEMENTED,
            project__memberships__user=user,
            project__memberships__role__in=PLANNERS,
        )
        .exclude(owner=user)
        .select_related("project", "finding", "owner")
        .order_by(F("implemented_at").asc(nulls_first=True), "id")
    )


def action_item(action) -> WaitingItem:
    owner = action.owner.get_full_name() or action.owner.get_username()
    return WaitingItem(
        title=f"{action.finding.reference}: {action.description[:80]}",
        project_name=action.project.name,
        detail=gettext("implemented by %(owner)s") % {"owner": owner},
        since=action.implemented_at,
        path=reverse("audits:finding_detail", args=[action.project_id, action.finding_id]),
    )


def findings_to_answer(user):
    """Nonconformities the user owns that still wait for their answer, or were reopened."""
    return (
        Finding.objects.filter(
            Q(status=FindingStatus.OPEN, root_cause="") | Q(status=FindingStatus.REOPENED),
            owner=user,
            project__memberships__user=user,
        )
        .select_related("project")
        .order_by(F("due_date").asc(nulls_last=True), "id")
    )


def finding_item(finding) -> WaitingItem:
    status = finding.get_status_display().lower()
    due = finding.due_date and formats.date_format(finding.due_date, "DATE_FORMAT")
    return WaitingItem(
        title=f"{finding.reference} {finding.get_grade_display()} ({finding.clause})",
        project_name=finding.project.name,
        detail=gettext("%(status)s, due %(date)s") % {"status": status, "date": due} if due else status,
        since=finding.raised_at,
        path=reverse("audits:finding_detail", args=[finding.project_id, finding.pk]),
    )


ACTIONS_TO_VERIFY = WaitingSource(
    "actions", _("Corrective actions to verify"), 20, actions_to_verify, action_item
)
FINDINGS_TO_ANSWER = WaitingSource(
    "findings", _("Findings to respond to"), 30, findings_to_answer, finding_item
)
