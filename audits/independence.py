"""Auditor independence: an internal auditor may not audit their own work.

"Own work" is read from the data (audits.selectors.independence_warnings): in the audit's scope the
auditor owns a roadmap phase (the person responsible for that area), has open tasks, owns a
document or owns an operating process. Such an audit is refused when it is planned, edited or
closed, unless the lead records why it may go ahead; that override covers the conflicts known when
it was given, so a new one found at closing blocks again.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from projects.models import Membership, Role

from .models import Audit
from .selectors import independence_warnings

OVERRIDE_FIELD = "independence_override_reason"


def _is_lead(project, user) -> bool:
    return Membership.objects.filter(project=project, user=user, role=Role.LEAD).exists()


def independence_apply_override(*, audit: Audit, user, reason: str) -> None:
    """Record (or keep, or take back) the lead's override on an audit about to be saved; the
    conflicts it covers are taken by independence_check once the audit and its team are saved."""
    reason = (reason or "").strip()
    if reason == (audit.independence_override_reason or ""):
        return
    if reason and not _is_lead(audit.project, user):
        raise ValidationError({OVERRIDE_FIELD: _("Only the project lead can override auditor independence.")})
    audit.independence_override_reason = reason
    audit.independence_override_by = user if reason else None
    audit.independence_override_at = timezone.now() if reason else None
    audit.independence_overridden = ["*"] if reason else []  # "*": take the conflicts of this save


def independence_check(audit: Audit) -> None:
    """Refuse the audit while an auditor audits their own work and no override covers it."""
    messages = [w.message for w in independence_warnings(audit.project, [audit])]
    covered = list(audit.independence_overridden or [])
    if covered == ["*"]:
        Audit.objects.filter(pk=audit.pk).update(independence_overridden=messages)
        audit.independence_overridden = messages
        return
    uncovered = [m for m in messages if m not in covered]
    if uncovered:
        raise ValidationError(
            {
                OVERRIDE_FIELD: _("An auditor may not audit their own work: ")
                + " ".join(uncovered)
                + _(" Choose another auditor or scope, or (lead only) record why the audit may go ahead.")
            }
        )
