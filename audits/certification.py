"""The certification cycle: three years from the certification decision (ISO/IEC 17021-1), not from
the project start. The certificate expires at the end of the third year; surveillance audits are due
within 12 and 24 months of the decision; recertification must be done before expiry. Recording the
decision is refused while a major nonconformity from a certification audit is still open."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone

from projects.models import Membership, Project, Role
from projects.scheduling import add_months
from projects.services import activity_record
from sms_tracker.core.concurrency import lock_for_edit
from sms_tracker.core.extensions import ReminderItem

from .models import (
    HELD_STATUSES,
    OPEN_FINDING_STATUSES,
    Audit,
    AuditProgramme,
    AuditType,
    Finding,
    Grade,
)

CYCLE_YEARS = 3
# Audits whose held report lets a certification decision be recorded.
DECISION_AUDITS = (AuditType.STAGE2, AuditType.RECERTIFICATION, AuditType.TRANSFER)
# Audits whose open major NCs stop the decision: the certification body must verify them first.
CB_AUDITS = (
    AuditType.STAGE2,
    AuditType.SURVEILLANCE1,
    AuditType.SURVEILLANCE2,
    AuditType.RECERTIFICATION,
    AuditType.TRANSFER,
    AuditType.SPECIAL,
)


def certificate_expiry(decision: date) -> date:
    """The last day of the certificate: three years from the decision, less a day."""
    end = add_months(decision, 12 * CYCLE_YEARS)
    return end if end == date.max else end - timedelta(days=1)


@dataclass
class CycleStep:
    label: str
    audit_type: str
    due: date  # held by this date at the latest
    audit: Audit | None  # the cycle's audit of this type, if one is planned

    @property
    def held(self) -> bool:
        return self.audit is not None and self.audit.status in HELD_STATUSES

    def state(self, today: date) -> str:
        if self.held:
            return "held"
        if self.audit is not None:
            return "planned" if self.audit.planned_end <= self.due else "planned too late"
        return "overdue" if self.due < today else "not planned"


@dataclass
class CertificationCycle:
    decision: date
    expiry: date
    steps: list[CycleStep]


def _steps(decision: date, expiry: date) -> list[tuple[str, str, date]]:
    return [
        ("Surveillance audit 1", AuditType.SURVEILLANCE1, add_months(decision, 12)),
        ("Surveillance audit 2", AuditType.SURVEILLANCE2, add_months(decision, 24)),
        ("Recertification audit", AuditType.RECERTIFICATION, expiry),
    ]


def certification_cycle(programme: AuditProgramme, audits=None) -> CertificationCycle | None:
    """The cycle of the recorded decision, with the audits of the programme that fill each step
    (`audits`: the programme's audits if already loaded, else one query)."""
    decision = programme.certification_decision_date
    if decision is None:
        return None
    expiry = certificate_expiry(decision)
    if audits is None:
        audits = list(Audit.objects.filter(project_id=programme.project_id).order_by("planned_start", "id"))
    steps = []
    for label, audit_type, due in _steps(decision, expiry):
        match = next(
            (a for a in audits if a.audit_type == audit_type and decision <= a.planned_start <= expiry), None
        )
        steps.append(CycleStep(label, audit_type, due, match))
    return CertificationCycle(decision, expiry, steps)


def decision_blockers(project: Project) -> list[str]:
    """Why a certification decision cannot be recorded yet (empty: it can)."""
    reasons = []
    if not Audit.objects.filter(
        project=project, audit_type__in=DECISION_AUDITS, status__in=HELD_STATUSES
    ).exists():
        reasons.append(
            "No Stage 2, recertification or transfer audit has its report issued yet: the decision "
            "follows that report."
        )
    for number, clause in (
        Finding.objects.filter(
            project=project,
            grade=Grade.MAJOR_NC,
            status__in=OPEN_FINDING_STATUSES,
            audit__audit_type__in=CB_AUDITS,
        )
        .order_by("number")
        .values_list("number", "clause")
    ):
        reasons.append(
            f"Major nonconformity F-{number} (clause {clause}) is open: the certification body must "
            "verify its correction and corrective action before certifying."
        )
    return reasons


@transaction.atomic
def certification_decision_record(
    *, project: Project, user, decision_date: date, certificate_number: str = "", expected_version
) -> AuditProgramme:
    """Record the certification decision: the new three-year cycle starts on its date."""
    programme, created = AuditProgramme.objects.get_or_create(
        project=project, defaults={"cycle_start": decision_date}
    )
    if not created:
        programme = lock_for_edit(AuditProgramme, programme.pk, expected_version=expected_version)
        programme.version += 1
    if decision_date > timezone.localdate():
        raise ValidationError({"decision_date": "The decision date cannot be in the future."})
    reasons = decision_blockers(project)
    if reasons:
        raise ValidationError(reasons)
    programme.certification_decision_date = decision_date
    programme.certificate_number = certificate_number.strip()
    programme.cycle_start = decision_date
    programme.full_clean()
    programme.save()
    activity_record(
        project=project,
        actor=user,
        verb="certified",
        summary=f"Certification decision recorded ({decision_date:%-d %b %Y}); the certificate runs to "
        f"{certificate_expiry(decision_date):%-d %b %Y}",
        url=reverse("audits:programme", args=[project.pk]),
    )
    return programme


# Reminders ----------------------------------------------------------------------------------------


def surveillance_reminders(
    *, today, until=None, since=None, user_id=None, project_ids=None, exclude_user_ids=()
):
    """Surveillance and recertification audits due within REMINDER_SURVEILLANCE_HORIZON_DAYS (or
    overdue) and not yet held, for each lead of the project. Three queries whatever the data size."""
    if until is None:
        until = today + timedelta(days=settings.REMINDER_SURVEILLANCE_HORIZON_DAYS)
    programmes = AuditProgramme.objects.filter(certification_decision_date__isnull=False)
    if project_ids is not None:
        programmes = programmes.filter(project_id__in=project_ids)
    rows = list(programmes.values_list("project_id", "project__name", "certification_decision_date"))
    if not rows:
        return []
    due_items = []
    for project_id, name, decision in rows:
        expiry = certificate_expiry(decision)
        for label, audit_type, due in _steps(decision, expiry):
            if due <= until and (since is None or due >= since):
                due_items.append((project_id, name, decision, expiry, label, audit_type, due))
    if not due_items:
        return []
    held = set(
        Audit.objects.filter(
            project_id__in={item[0] for item in due_items},
            audit_type__in={item[5] for item in due_items},
            status__in=HELD_STATUSES,
            planned_start__gte=F("project__audit_programme__certification_decision_date"),
        ).values_list("project_id", "audit_type")
    )
    leads = Membership.objects.filter(project_id__in={item[0] for item in due_items}, role=Role.LEAD)
    if user_id is not None:
        leads = leads.filter(user_id=user_id)
    if exclude_user_ids:
        leads = leads.exclude(user_id__in=exclude_user_ids)
    lead_ids: dict[int, list[int]] = {}
    for project_id, lead_id in leads.order_by("user_id").values_list("project_id", "user_id"):
        lead_ids.setdefault(project_id, []).append(lead_id)
    items = []
    for project_id, name, decision, _expiry, label, audit_type, due in due_items:
        if (project_id, audit_type) in held:
            continue
        for lead_id in lead_ids.get(project_id, ()):
            items.append(
                ReminderItem(
                    user_id=lead_id,
                    project_id=project_id,
                    project_name=name,
                    category="Certification audit due",
                    title=f"{label} (certified {decision:%-d %b %Y}) must be held by {due:%-d %b %Y}",
                    due_date=due,
                    url_name="audits:programme",
                    url_args=(project_id,),
                    key=f"cycle:{project_id}:{decision.isoformat()}:{audit_type}",
                )
            )
    return items
