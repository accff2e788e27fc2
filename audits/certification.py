"""The certification cycle as a certification body runs it (ISO/IEC 17021-1 9.1.3, 9.4–9.6; IAF MD 2).

- The decision follows its own held audit: Stage 2 for the first certificate, the recertification
  audit afterwards. It is dated on or after that audit's last day; every major nonconformity of the
  body's audits is closed with the body's own verification, and every minor one of the decision audit
  has a correction and a corrective-action plan the body accepted (or is closed). A major left
  unverified too long after the audit (project setting, default 6 months) means the audit is repeated.
- The certificate runs three years from the first decision. Surveillance 1 is held within 12 months
  of the decision, surveillance 2 in the calendar year after it; the recertification audit and its
  decision fall before expiry, and the new cycle continues from the old expiry date.
- A transfer to another body keeps the cycle and the expiry, once the pre-transfer review is recorded.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext, gettext_lazy, gettext_noop
from django.utils.translation import gettext as _

from kernel.clauses import clause_key
from kernel.concurrency import lock_for_edit
from kernel.extensions import ReminderItem
from kernel.i18n import worded_later
from projects import activity
from projects.models import Membership, Project, Role
from projects.scheduling import add_months
from projects.services import activity_record

from .certification_models import PreTransferReview
from .models import (
    HELD_STATUSES,
    OPEN_FINDING_STATUSES,
    Audit,
    AuditProgramme,
    AuditType,
    Finding,
    FindingEvent,
    Grade,
)

CYCLE_YEARS = 3
# Audits whose open major NCs stop the decision: the certification body must verify them first.
CB_AUDITS = (
    AuditType.STAGE2,
    AuditType.SURVEILLANCE1,
    AuditType.SURVEILLANCE2,
    AuditType.RECERTIFICATION,
    AuditType.TRANSFER,
    AuditType.SPECIAL,
)
# The body's audits whose scope counts for the cycle's coverage (every clause once per cycle).
CYCLE_COVERAGE_AUDITS = (
    AuditType.STAGE2,
    AuditType.SURVEILLANCE1,
    AuditType.SURVEILLANCE2,
    AuditType.RECERTIFICATION,
    AuditType.TRANSFER,
    AuditType.SPECIAL,
)
PLAN_ACCEPTED = gettext_lazy("correction and plan accepted by the certification body")


def certificate_expiry(decision: date) -> date:
    """The last day of a certificate whose cycle starts on `decision`: three years, less a day."""
    end = add_months(decision, 12 * CYCLE_YEARS)
    return end if end == date.max else end - timedelta(days=1)


def programme_expiry(programme: AuditProgramme) -> date | None:
    if programme.certification_decision_date is None:
        return None
    return programme.certificate_expires_on or certificate_expiry(programme.certification_decision_date)


@dataclass
class CycleStep:
    label: str
    audit_type: str
    due: date  # held by this date at the latest
    audit: Audit | None  # the cycle's audit of this type, if one is planned
    note: str = ""

    @property
    def held(self) -> bool:
        return self.audit is not None and self.audit.status in HELD_STATUSES

    def state(self, today: date) -> str:
        if self.held:
            return "held"
        if self.audit is not None:
            return "planned" if self.audit.planned_end <= self.due else gettext("planned too late")
        return "overdue" if self.due < today else gettext("not planned")


@dataclass
class CertificationCycle:
    decision: date
    expiry: date
    steps: list[CycleStep]


def _steps(decision: date, expiry: date, lead_months: int, s1_end: date | None = None):
    """(label, type, due, note) of the cycle's audits. Surveillance 2 falls in the calendar year
    after surveillance 1 (held, or due); the recertification audit ends `lead_months` before expiry."""
    s1_due = min(add_months(decision, 12), expiry)
    s2_year = (s1_end or s1_due).year + 1
    s2_due = min(date(s2_year, 12, 31), expiry)
    recert_due = add_months(expiry, -lead_months)
    return [
        (
            gettext("Surveillance audit 1"),
            AuditType.SURVEILLANCE1,
            s1_due,
            gettext("no later than 12 months after the decision"),
        ),
        (gettext("Surveillance audit 2"), AuditType.SURVEILLANCE2, s2_due, f"during {s2_year}"),
        (
            gettext("Recertification audit"),
            AuditType.RECERTIFICATION,
            recert_due,
            gettext("%(lead_months)s months before expiry, so its decision falls before %(expiry)s")
            % {"lead_months": lead_months, "expiry": format(expiry, "%-d %b %Y")},
        ),
    ]


def certification_cycle(programme: AuditProgramme, audits=None) -> CertificationCycle | None:
    """The cycle of the latest decision, with the audits of the programme that fill each step
    (`audits`: the programme's audits if already loaded, else one query)."""
    decision = programme.certification_decision_date
    if decision is None:
        return None
    expiry = programme_expiry(programme)
    if audits is None:
        audits = list(Audit.objects.filter(project_id=programme.project_id).order_by("planned_start", "id"))

    def match(audit_type):
        return next(
            (a for a in audits if a.audit_type == audit_type and decision <= a.planned_start <= expiry), None
        )

    s1 = match(AuditType.SURVEILLANCE1)
    s1_end = s1.planned_end if s1 is not None and s1.is_held else None
    steps = [
        CycleStep(label, audit_type, due, match(audit_type), note)
        for label, audit_type, due, note in _steps(
            decision, expiry, programme.recertification_lead_months, s1_end
        )
    ]
    return CertificationCycle(decision, expiry, steps)


# The decision -------------------------------------------------------------------------------------


def decision_audit(project: Project, programme: AuditProgramme | None = None) -> Audit | None:
    """The held audit the next decision follows: Stage 2 for the first certificate, the
    recertification audit of the current cycle afterwards."""
    programme = programme or AuditProgramme.objects.filter(project=project).first()
    audits = Audit.objects.filter(project=project, status__in=HELD_STATUSES)
    if programme is not None and programme.certification_decision_date is not None:
        audits = audits.filter(
            audit_type=AuditType.RECERTIFICATION, planned_start__gte=programme.certification_decision_date
        )
    else:
        audits = audits.filter(audit_type=AuditType.STAGE2)
    return audits.order_by("-planned_end", "-id").first()


def _months_after(audit: Audit, months: int) -> date:
    return add_months(audit.planned_end, months)


def _plan_accepted_ids(findings) -> set[int]:
    return set(
        FindingEvent.objects.filter(finding__in=findings, verb=PLAN_ACCEPTED).values_list(
            "finding_id", flat=True
        )
    )


def decision_blockers(
    project: Project, decision_date: date | None = None, today: date | None = None
) -> list[str]:
    """Why a certification decision cannot be recorded (empty: it can). A fixed number of queries."""
    today = today or timezone.localdate()
    programme = AuditProgramme.objects.filter(project=project).first()
    recertifying = programme is not None and programme.certification_decision_date is not None
    audit = decision_audit(project, programme)
    reasons = []
    if audit is None:
        reasons.append(
            _(
                "No recertification audit of this cycle has its report issued: a recertification decision "
                "follows its own audit."
            )
            if recertifying
            else _("No Stage 2 audit has its report issued yet: the first decision follows that report.")
        )
    elif decision_date is not None and decision_date < audit.planned_end:
        reasons.append(
            _("The decision cannot be dated before its audit “%(audit)s” ended (%(planned_end)s).")
            % {"audit": audit, "planned_end": format(audit.planned_end, "%-d %b %Y")}
        )
    if recertifying and decision_date is not None and decision_date > programme_expiry(programme):
        reasons.append(
            _(
                "The certificate expired on %(programme_expiry)s: a recertification decision must"
                " fall before expiry (after it, certification starts again with Stage 1 and 2)."
            )
            % {"programme_expiry": format(programme_expiry(programme), "%-d %b %Y")}
        )
    majors = Finding.objects.filter(project=project, grade=Grade.MAJOR_NC, audit__audit_type__in=CB_AUDITS)
    limit = programme.major_nc_limit_months if programme else 6
    for finding in majors.select_related("audit").prefetch_related("actions").order_by("number"):
        if finding.status in OPEN_FINDING_STATUSES:
            if today > _months_after(finding.audit, limit):
                reasons.append(
                    _(
                        "Major nonconformity %(reference)s (clause %(clause)s) was not verified within "
                        "%(limit)s months of the end of “%(audit)s”: that audit must be repeated."
                    )
                    % {
                        "reference": finding.reference,
                        "clause": finding.clause,
                        "limit": limit,
                        "audit": finding.audit,
                    }
                )
            else:
                reasons.append(
                    _(
                        "Major nonconformity %(reference)s (clause %(clause)s) is open: the certification"
                        " body must verify its correction and corrective action before certifying."
                    )
                    % {"reference": finding.reference, "clause": finding.clause}
                )
        elif not any(a.verified_by_certification_body for a in finding.actions.all()):
            reasons.append(
                _(
                    "Major nonconformity %(reference)s (clause %(clause)s) was closed without the "
                    "certification body's verification."
                )
                % {"reference": finding.reference, "clause": finding.clause}
            )
    if audit is not None:
        minors = list(
            Finding.objects.filter(audit=audit, grade=Grade.MINOR_NC)
            .exclude(status="closed")
            .prefetch_related("actions")
            .order_by("number")
        )
        accepted = _plan_accepted_ids(minors)
        for finding in minors:
            if finding.pk not in accepted:
                reasons.append(
                    _(
                        "Minor nonconformity %(reference)s (clause %(clause)s) has no correction and "
                        "corrective-action plan accepted by the certification body."
                    )
                    % {"reference": finding.reference, "clause": finding.clause}
                )
    return reasons


def unverified_major_warnings(project: Project, today: date | None = None) -> list[str]:
    """Majors of the body's audits still open past the warning months (project setting)."""
    today = today or timezone.localdate()
    programme = AuditProgramme.objects.filter(project=project).first()
    warn = programme.major_nc_warn_months if programme else 3
    limit = programme.major_nc_limit_months if programme else 6
    warnings = []
    for finding in (
        Finding.objects.filter(
            project=project,
            grade=Grade.MAJOR_NC,
            status__in=OPEN_FINDING_STATUSES,
            audit__audit_type__in=CB_AUDITS,
            audit__status__in=HELD_STATUSES,
        )
        .select_related("audit")
        .order_by("number")
    ):
        if today > _months_after(finding.audit, warn):
            warnings.append(
                _(
                    "Major nonconformity %(reference)s is still unverified %(warn)s+ months after "
                    "“%(audit)s”; after %(limit)s months (%(months_after)s) the audit must be "
                    "repeated."
                )
                % {
                    "reference": finding.reference,
                    "warn": warn,
                    "audit": finding.audit,
                    "limit": limit,
                    "months_after": format(_months_after(finding.audit, limit), "%-d %b %Y"),
                }
            )
    return warnings


@transaction.atomic
def minor_plan_accept(*, finding: Finding, user, note: str) -> Finding:
    """Record that the certification body accepted a minor's correction and corrective-action plan."""
    # The audit is optional (nonconformities from any source): lock the finding's row only.
    finding = Finding.objects.select_for_update(of=("self",)).select_related("audit").get(pk=finding.pk)
    if finding.grade != Grade.MINOR_NC or finding.audit is None or finding.audit.audit_type not in CB_AUDITS:
        raise ValidationError(
            _("Only a minor nonconformity raised by the certification body has a plan it accepts.")
        )
    if not finding.correction.strip():
        raise ValidationError(_("Record the correction first: the body accepts the correction and the plan."))
    if not finding.actions.exists():
        raise ValidationError(_("Add the corrective actions first: they are the plan the body accepts."))
    if not note.strip():
        raise ValidationError({"note": _("Say how the body accepted it (its letter, e-mail or report).")})
    if FindingEvent.objects.filter(finding=finding, verb=PLAN_ACCEPTED).exists():
        raise ValidationError(_("The certification body's acceptance is already recorded."))
    FindingEvent.objects.create(finding=finding, actor=user, verb=PLAN_ACCEPTED, note=note.strip())
    activity_record(
        project=finding.project,
        actor=user,
        verb="plan accepted",
        message=gettext_noop("%(reference)s: correction and plan accepted by the certification body"),
        values={"reference": finding.reference},
        url=finding.get_absolute_url(),
    )
    return finding


def _locked_programme(project, expected_version, decision_date):
    programme, created = AuditProgramme.objects.get_or_create(
        project=project, defaults={"cycle_start": decision_date}
    )
    if not created:
        programme = lock_for_edit(AuditProgramme, programme.pk, expected_version=expected_version)
        programme.version += 1
    return programme


@transaction.atomic
def certification_decision_record(
    *, project: Project, user, decision_date: date, certificate_number: str = "", expected_version
) -> AuditProgramme:
    """Record the certification decision. The first one starts the three-year cycle on its date; a
    recertification continues the cycle from the old expiry date."""
    programme = _locked_programme(project, expected_version, decision_date)
    if decision_date > timezone.localdate():
        raise ValidationError({"decision_date": _("The decision date cannot be in the future.")})
    reasons = decision_blockers(project, decision_date=decision_date)
    if reasons:
        raise ValidationError(reasons)
    old_expiry = programme_expiry(programme)
    if old_expiry is None:
        cycle_start, expiry = decision_date, certificate_expiry(decision_date)
    else:
        cycle_start = old_expiry + timedelta(days=1)
        expiry = certificate_expiry(cycle_start)
    programme.certification_decision_date = decision_date
    programme.certificate_number = certificate_number.strip() or programme.certificate_number
    programme.cycle_start = cycle_start
    programme.certificate_expires_on = expiry
    programme.full_clean()
    programme.save()
    activity_record(
        project=project,
        actor=user,
        verb="certified" if old_expiry is None else "recertified",
        message=gettext_noop(
            "Certification decision recorded (%(decided)s); the certificate runs to %(expiry)s"
        ),
        values={"decided": activity.day(decision_date), "expiry": activity.day(expiry)},
        url=reverse("audits:programme", args=[project.pk]),
    )
    return programme


@transaction.atomic
def certificate_transfer_record(
    *, project: Project, user, to_body: str, reviewed_on: date, reviewer: str, summary: str
) -> PreTransferReview:
    """The certificate moves to another body after its pre-transfer review: cycle and expiry stay."""
    programme = AuditProgramme.objects.select_for_update().filter(project=project).first()
    expiry = programme_expiry(programme) if programme else None
    errors = {}
    if expiry is None:
        raise ValidationError(
            _("There is no certificate to transfer: record the certification decision first.")
        )
    if reviewed_on > timezone.localdate():
        errors["reviewed_on"] = gettext("The review date cannot be in the future.")
    elif reviewed_on > expiry:
        errors["reviewed_on"] = gettext(
            "The certificate expired on %(expiry)s: an expired certificate cannot move."
        ) % {"expiry": format(expiry, "%-d %b %Y")}
    if not to_body.strip():
        errors["to_body"] = gettext("Name the certification body taking the certificate over.")
    elif to_body.strip() == project.certification_body.strip():
        errors["to_body"] = gettext("That body already holds the certificate.")
    if not reviewer.strip():
        errors["reviewer"] = gettext("Name who reviewed the certificate for the new body.")
    if not summary.strip():
        errors["summary"] = gettext("Say what the review checked and found.")
    if errors:
        raise ValidationError(errors)
    review = PreTransferReview.objects.create(
        project=project,
        from_body=project.certification_body or gettext("(not recorded)"),
        to_body=to_body.strip(),
        reviewed_on=reviewed_on,
        reviewer=reviewer.strip(),
        summary=summary.strip(),
        certificate_expires_on=expiry,
        recorded_by=user,
    )
    Project.objects.filter(pk=project.pk).update(certification_body=to_body.strip())
    project.certification_body = to_body.strip()
    if programme.certificate_expires_on is None:
        AuditProgramme.objects.filter(pk=programme.pk).update(certificate_expires_on=expiry)
    activity_record(
        project=project,
        actor=user,
        verb="certificate transferred",
        message=gettext_noop(
            "Certificate transferred from %(from_body)s to %(to_body)s after the pre-transfer review; "
            "it still expires on %(expiry)s"
        ),
        values={"from_body": review.from_body, "to_body": review.to_body, "expiry": activity.day(expiry)},
        url=reverse("audits:programme", args=[project.pk]),
    )
    return review


def check_stage_order(audit: Audit) -> None:
    """A Stage 2 audit cannot be recorded as held before a Stage 1 is held (17021-1 9.3)."""
    if audit.audit_type != AuditType.STAGE2:
        return
    if not Audit.objects.filter(
        project_id=audit.project_id, audit_type=AuditType.STAGE1, status__in=HELD_STATUSES
    ).exists():
        raise ValidationError(_("Stage 2 cannot be recorded as held before a Stage 1 audit is held."))


# Coverage of the body's audits over the cycle ------------------------------------------------------


@dataclass
class CycleCoverageRow:
    number: str
    title: str
    audits: list  # the held body audits of the cycle that covered it

    @property
    def covered(self) -> bool:
        return bool(self.audits)


def cycle_coverage(project, programme: AuditProgramme) -> tuple[list[Audit], list[CycleCoverageRow]]:
    """Clauses × the certification body's held audits of the current cycle (from the decision's
    cycle start, or the project start before any decision). Two queries."""
    from .clauses import leaf_clauses

    start = programme.cycle_start if programme.certification_decision_date else None
    audits = Audit.objects.filter(project=project, audit_type__in=CYCLE_COVERAGE_AUDITS).order_by(
        "planned_start", "id"
    )
    if programme.certification_decision_date:
        # The audit the decision followed belongs to the cycle it opened.
        audits = audits.filter(
            planned_start__gte=add_months(start, -12), planned_start__lte=programme_expiry(programme)
        )
    audits = list(audits)
    from .selectors import answered_clauses

    covered_by = answered_clauses(a.pk for a in audits if a.is_held)
    for audit in audits:
        audit.covered_clauses = sorted(covered_by.get(audit.pk, ()), key=clause_key)
    rows = []
    for clause in leaf_clauses(project):
        covering = [a for a in audits if clause.number in covered_by.get(a.pk, ())]
        rows.append(CycleCoverageRow(clause.number, clause.title, covering))
    return audits, rows


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
    rows = list(
        programmes.values_list(
            "project_id",
            "project__name",
            "certification_decision_date",
            "certificate_expires_on",
            "recertification_lead_months",
        )
    )
    if not rows:
        return []
    due_items = []
    for project_id, name, decision, stored_expiry, lead_months in rows:
        expiry = stored_expiry or certificate_expiry(decision)
        for label, audit_type, due, _note in _steps(decision, expiry, lead_months):
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
                    category=gettext_lazy("Certification audit due"),
                    title=worded_later(
                        gettext_noop("%(label)s (certified %(decision)s) must be held by %(due)s"),
                        {"label": label, "decision": decision, "due": due},
                    ),
                    due_date=due,
                    url_name="audits:programme",
                    url_args=(project_id,),
                    key=f"cycle:{project_id}:{decision.isoformat()}:{audit_type}",
                )
            )
    return items


@transaction.atomic
def certification_settings_update(
    *,
    project: Project,
    user,
    expected_version,
    major_nc_warn_months,
    major_nc_limit_months,
    recertification_lead_months,
) -> AuditProgramme:
    """The project's certification settings (docs/certification.md says why each exists)."""
    programme, created = AuditProgramme.objects.get_or_create(
        project=project, defaults={"cycle_start": project.start_date}
    )
    if not created:
        programme = lock_for_edit(AuditProgramme, programme.pk, expected_version=expected_version)
        programme.version += 1
    if major_nc_warn_months > major_nc_limit_months:
        raise ValidationError({"major_nc_warn_months": _("The warning must come before the limit.")})
    programme.major_nc_warn_months = major_nc_warn_months
    programme.major_nc_limit_months = major_nc_limit_months
    programme.recertification_lead_months = recertification_lead_months
    programme.full_clean()
    programme.save()
    activity_record(
        project=project,
        actor=user,
        verb="certification settings",
        message=gettext_noop(
            "Certification settings: warn %(warn)s, limit %(limit)s, "
            "recertification lead time %(lead)s months"
        ),
        values={
            "warn": major_nc_warn_months,
            "limit": major_nc_limit_months,
            "lead": recertification_lead_months,
        },
        url=reverse("audits:programme", args=[project.pk]),
    )
    return programme
