"""Stage 1 areas of concern as tracked items: raised from a Stage 1 audit with an owner and a due
date, then closed with evidence or accepted by the lead with a reason (Stage 2 readiness waits
for every one of them)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from kernel.concurrency import lock_for_edit
from projects import activity
from projects.models import Membership
from projects.services import activity_record

from .certification_models import AreaOfConcern, ConcernStatus
from .models import AuditType


def concern_list(project):
    return AreaOfConcern.objects.filter(project=project).select_related("audit", "owner", "resolved_by")


@transaction.atomic
def concern_create(*, audit, user, description: str, clause: str = "", owner=None, due_date=None):
    if audit.audit_type != AuditType.STAGE1:
        raise ValidationError(_("Areas of concern are raised by a Stage 1 audit."))
    if not description.strip():
        raise ValidationError({"description": _("Describe the area of concern.")})
    if owner is not None and not Membership.objects.filter(project_id=audit.project_id, user=owner).exists():
        raise ValidationError({"owner": _("The owner must be a member of the project.")})
    number = (
        AreaOfConcern.objects.filter(project_id=audit.project_id).aggregate(n=Max("number"))["n"] or 0
    ) + 1
    concern = AreaOfConcern(
        project_id=audit.project_id,
        audit=audit,
        number=number,
        clause=clause.strip(),
        description=description.strip(),
        owner=owner,
        due_date=due_date,
        created_by=user,
    )
    concern.full_clean()
    concern.save()
    activity_record(
        project=audit.project,
        actor=user,
        verb="area of concern",
        message=gettext_noop("Area of concern %(reference)s raised at “%(audit)s”"),
        values={"reference": concern.reference, "audit": str(audit)},
        url=concern.get_absolute_url(),
    )
    return concern


def _resolve(concern, *, user, expected_version, status, field, text, message):
    concern = lock_for_edit(AreaOfConcern, concern.pk, expected_version=expected_version)
    if not concern.is_open:
        raise ValidationError(
            _("%(reference)s is already %(status)s.")
            % {"reference": concern.reference, "status": concern.get_status_display().lower()}
        )
    if not text.strip():
        raise ValidationError({field: message})
    setattr(concern, field, text.strip())
    concern.status = status
    concern.resolved_by, concern.resolved_at = user, timezone.now()
    concern.version += 1
    concern.full_clean()
    concern.save()
    activity_record(
        project=concern.project,
        actor=user,
        verb="area of concern",
        message=gettext_noop("Area of concern %(reference)s: %(status)s"),
        values={
            "reference": concern.reference,
            "status": activity.choice(ConcernStatus, concern.status, lower=True),
        },
        url=concern.get_absolute_url(),
    )
    return concern


@transaction.atomic
def concern_close(*, concern, user, expected_version: int, closure_evidence: str):
    return _resolve(
        concern,
        user=user,
        expected_version=expected_version,
        status=ConcernStatus.CLOSED,
        field="closure_evidence",
        text=closure_evidence,
        message=_("Say what shows the concern is dealt with (document, record, date)."),
    )


@transaction.atomic
def concern_accept(*, concern, user, expected_version: int, acceptance_reason: str):
    return _resolve(
        concern,
        user=user,
        expected_version=expected_version,
        status=ConcernStatus.ACCEPTED,
        field="acceptance_reason",
        text=acceptance_reason,
        message=_("Say why the concern is accepted without further action."),
    )
