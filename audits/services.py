"""Writes for the audit programme, audits, findings and their corrective actions, the improvement
register and management reviews. Views call these; they never save models themselves."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, gettext_noop

from kernel import pagecache, webhooks
from kernel.clauses import normalise_clause_list
from kernel.concurrency import lock_for_edit
from projects import activity
from projects.models import Membership, Project, Role
from projects.progress_refresh import progress_refresh_on_commit
from projects.services import activity_record

from . import certification, checklist
from .clauses import clause_titles, informative_clauses
from .grading import needs_certification_body_verification, rule_due_date, rule_for
from .independence import independence_apply_override, independence_check
from .models import (
    IMPROVEMENT_GRADES,
    NC_GRADES,
    ActionStatus,
    Audit,
    AuditProgramme,
    AuditStatus,
    CorrectiveAction,
    Finding,
    FindingEvent,
    FindingSource,
    FindingStatus,
    Grade,
    Improvement,
)

AUDITOR_ROLES = (Role.LEAD, Role.AUDITOR)


def _member_ids(project: Project, roles=None) -> set[int]:
    members = Membership.objects.filter(project=project)
    if roles:
        members = members.filter(role__in=roles)
    return set(members.values_list("user_id", flat=True))


# Programme --------------------------------------------------------------------------------


@transaction.atomic
def programme_update(
    *, project: Project, user, cycle_start: date, objectives: str = "", expected_version: int | None
) -> AuditProgramme:
    programme, created = AuditProgramme.objects.get_or_create(
        project=project, defaults={"cycle_start": cycle_start}
    )
    if not created:
        programme = lock_for_edit(AuditProgramme, programme.pk, expected_version=expected_version)
        programme.version += 1
    programme.cycle_start = cycle_start
    programme.objectives = objectives
    programme.full_clean()
    programme.save()
    activity_record(
        project=project,
        actor=user,
        verb="programme",
        message=gettext_noop("Audit programme edited"),
        url=reverse("audits:programme", args=[project.pk]),
    )
    return programme


# Audits -----------------------------------------------------------------------------------


def _clean_scope(project: Project, scope_clauses) -> list[str]:
    known = clause_titles(project)
    scope = normalise_clause_list(scope_clauses)
    unknown = [c for c in scope if c not in known]
    if unknown:
        raise ValidationError(
            {"scope_clauses": _("Not a clause of the standard: %(items)s.") % {"items": ", ".join(unknown)}}
        )
    if not scope:
        raise ValidationError({"scope_clauses": _("Choose at least one clause for the audit's scope.")})
    return scope


def _check_auditors(project: Project, lead_auditor, team) -> None:
    allowed = _member_ids(project, AUDITOR_ROLES)
    if lead_auditor is not None and lead_auditor.pk not in allowed:
        raise ValidationError({"lead_auditor": _("The lead auditor must be the project lead or an auditor.")})
    outsiders = [u.username for u in team if u.pk not in allowed]
    if outsiders:
        raise ValidationError(
            {
                "team": _("Only the lead and auditors can be on an audit team: %(items)s.")
                % {"items": ", ".join(outsiders)}
            }
        )


AUDIT_FIELDS = (
    "audit_type",
    "title",
    "planned_start",
    "planned_end",
    "lead_auditor",
    "external_auditors",
)


@transaction.atomic
def audit_create(
    *, project: Project, user, scope_clauses, team=(), independence_override_reason: str = "", **fields
) -> Audit:
    audit = Audit(project=project, created_by=user, **{k: v for k, v in fields.items() if k in AUDIT_FIELDS})
    audit.title = (audit.title or "").strip() or audit.get_audit_type_display()
    audit.scope_clauses = _clean_scope(project, scope_clauses)
    team = list(team)
    _check_auditors(project, audit.lead_auditor, team)
    independence_apply_override(audit=audit, user=user, reason=independence_override_reason)
    audit.full_clean()
    audit.save()
    audit.team.set(team)
    independence_check(audit)  # raises: the atomic block takes the audit back
    progress_refresh_on_commit(project.pk)
    activity_record(
        project=project,
        actor=user,
        verb="audit planned",
        message=gettext_noop("Audit “%(audit)s” planned"),
        values={"audit": str(audit)},
        url=audit.get_absolute_url(),
    )
    return audit


@transaction.atomic
def audit_update(
    *,
    audit: Audit,
    user,
    expected_version: int,
    scope_clauses,
    team=(),
    independence_override_reason: str | None = None,
    **fields,
) -> Audit:
    audit = lock_for_edit(Audit, audit.pk, expected_version=expected_version)
    if audit.status == AuditStatus.CLOSED:
        raise ValidationError(_("This audit is closed; its plan can no longer change."))
    for name in AUDIT_FIELDS:
        if name in fields:
            setattr(audit, name, fields[name])
    scope = _clean_scope(audit.project, scope_clauses)
    if scope != audit.scope_clauses and audit.status != AuditStatus.PLANNED:
        raise ValidationError({"scope_clauses": _("The scope is fixed once the audit has started.")})
    audit.scope_clauses = scope
    team = list(team)
    _check_auditors(audit.project, audit.lead_auditor, team)
    if independence_override_reason is not None:
        independence_apply_override(audit=audit, user=user, reason=independence_override_reason)
    audit.version += 1
    audit.full_clean()
    audit.save()
    audit.team.set(team)
    independence_check(audit)
    checklist.checklist_sync_auditors(audit=audit, user=user)
    activity_record(
        project=audit.project,
        actor=user,
        verb="audit updated",
        message=gettext_noop("Audit “%(audit)s” edited"),
        values={"audit": str(audit)},
        url=audit.get_absolute_url(),
    )
    return audit


NEXT_STATUS = {
    AuditStatus.PLANNED: AuditStatus.IN_PROGRESS,
    AuditStatus.IN_PROGRESS: AuditStatus.REPORT_ISSUED,
    AuditStatus.REPORT_ISSUED: AuditStatus.CLOSED,
}


@transaction.atomic
def audit_advance(*, audit: Audit, user, to_status: str, report_summary: str = "") -> Audit:
    """planned → in progress → report issued → closed, one step at a time."""
    audit = Audit.objects.select_for_update().get(pk=audit.pk)
    if NEXT_STATUS.get(audit.status) != to_status:
        raise ValidationError(
            _("An audit that is %(status)s cannot move to “%(target)s”.")
            % {
                "status": audit.get_status_display().lower(),
                "target": AuditStatus(to_status).label if to_status in AuditStatus.values else to_status,
            }
        )
    now = timezone.now()
    if to_status == AuditStatus.IN_PROGRESS:
        audit.started_at = now
        checklist.checklist_create(audit=audit, user=user)
    elif to_status == AuditStatus.REPORT_ISSUED:
        certification.check_stage_order(audit)
        summary = (report_summary or audit.report_summary).strip()
        if not summary:
            raise ValidationError(
                {"report_summary": _("Write the report summary before issuing the report.")}
            )
        audit.report_summary = summary
        audit.report_issued_at = now
        checklist.checklist_finalise(audit=audit, user=user)
    else:
        independence_check(audit)  # checked again: the work may have changed hands since planning
        audit.closed_at = now
    audit.status = to_status
    audit.version += 1
    audit.save()
    progress_refresh_on_commit(audit.project_id)
    activity_record(
        project=audit.project,
        actor=user,
        verb="audit status",
        message=gettext_noop("Audit “%(audit)s”: %(status)s"),
        values={"audit": str(audit), "status": activity.choice(AuditStatus, audit.status, lower=True)},
        url=audit.get_absolute_url(),
    )
    return audit


@transaction.atomic
def audit_delete(*, audit: Audit, user) -> None:
    if audit.status != AuditStatus.PLANNED or audit.findings.exists():
        raise ValidationError(_("Only a planned audit without findings can be deleted."))
    project, title = audit.project, audit.title
    audit.delete()
    progress_refresh_on_commit(project.pk)
    activity_record(
        project=project,
        actor=user,
        verb="audit deleted",
        message=gettext_noop("Audit “%(audit)s” deleted"),
        values={"audit": title},
    )


# Findings ---------------------------------------------------------------------------------


def _source_part(finding) -> dict | str:
    """Where a finding came from, in an activity line (`Finding.source_label`, worded when shown)."""
    if finding.audit_id:
        return str(finding.audit)
    source = activity.choice(FindingSource, finding.source)
    return activity.joined([source, finding.source_reference], ": ") if finding.source_reference else source


def _event(finding: Finding, user, verb: str, note: str = "", action: CorrectiveAction | None = None):
    pagecache.project_changed(finding.project_id)  # every step of a finding passes here
    FindingEvent.objects.create(
        finding=finding, action=action, actor=user, verb=verb, note=note, created_at=timezone.now()
    )


def _refuse_if_closed(finding: Finding) -> None:
    if finding.is_closed:
        raise ValidationError(_("This finding is closed and can no longer be edited."))


def _check_finding(finding: Finding) -> None:
    known = clause_titles(finding.project)
    if finding.clause not in known:
        raise ValidationError({"clause": _("Choose a clause of the standard.")})
    if finding.grade in NC_GRADES and finding.clause in informative_clauses(finding.project):
        raise ValidationError(
            {
                "grade": _(
                    "Clause %(clause)s is explanatory and sets no requirement, so no nonconformity is raised "
                    "against it: choose the clause whose requirement is not met, or record "
                    "an observation or an"
                    " opportunity for improvement here."
                )
                % {"clause": finding.clause}
            }
        )
    if finding.owner_id and finding.owner_id not in _member_ids(finding.project):
        raise ValidationError({"owner": _("The owner must be a member of the project.")})


def _apply_due_rule(finding: Finding, requested: date | None) -> None:
    """Due dates follow the grade's rule (audits.grading): empty means the latest date the rule allows
    from the day the finding was raised; an earlier date may be set, a later one is refused."""
    latest = rule_due_date(finding.grade, timezone.localdate(finding.raised_at))
    if latest is None:
        finding.due_date = requested
    elif requested is None:
        finding.due_date = latest
    elif requested > latest:
        rule = rule_for(finding.grade)
        raise ValidationError(
            {
                "due_date": _(
                    "A %(grade)s must be answered within %(response_days)s days of being raised: "
                    "choose %(latest)s or earlier, or leave the date empty for that date."
                )
                % {
                    "grade": rule.label.lower(),
                    "response_days": rule.response_days,
                    "latest": format(latest, "%-d %b %Y"),
                }
            }
        )
    else:
        finding.due_date = requested


FINDING_FIELDS = ("grade", "clause", "description", "evidence", "owner", "due_date")


@transaction.atomic
def finding_create(*, audit: Audit, user, **fields) -> Finding:
    Project.objects.select_for_update().filter(pk=audit.project_id).first()  # serialises numbering
    if audit.status == AuditStatus.CLOSED:
        raise ValidationError(_("The audit is closed; findings can no longer be added."))
    number = (Finding.objects.filter(project_id=audit.project_id).aggregate(n=Max("number"))["n"] or 0) + 1
    finding = Finding(
        project_id=audit.project_id,
        audit=audit,
        number=number,
        raised_by=user,
        raised_at=timezone.now(),
        **{k: v for k, v in fields.items() if k in FINDING_FIELDS},
    )
    finding.status = FindingStatus.OPEN if finding.grade in NC_GRADES else FindingStatus.NOTED
    _check_finding(finding)
    _apply_due_rule(finding, fields.get("due_date"))
    finding.full_clean()
    finding.save()
    _event(
        finding,
        user,
        "raised",
        (
            _("%(grade)s against clause %(clause)s; answer due %(date)s")
            if finding.due_date
            else _("%(grade)s against clause %(clause)s")
        )
        % {
            "grade": finding.get_grade_display(),
            "clause": finding.clause,
            "date": date_format(finding.due_date, "DATE_FORMAT") if finding.due_date else "",
        },
    )
    _finding_publish(finding, "finding.raised", user)
    progress_refresh_on_commit(audit.project_id)
    activity_record(
        project=audit.project,
        actor=user,
        verb="finding",
        message=gettext_noop("%(reference)s %(grade)s raised in “%(audit)s”"),
        values={
            "reference": finding.reference,
            "grade": activity.choice(Grade, finding.grade),
            "audit": str(audit),
        },
        url=finding.get_absolute_url(),
    )
    return finding


@transaction.atomic
def nonconformity_create(
    *, project: Project, user, source: str, source_reference: str = "", **fields
) -> Finding:
    """A nonconformity from a source other than an audit (10.1): a complaint, a service level
    breach, an incident, a failed process, customer feedback, a review."""
    Project.objects.select_for_update().filter(pk=project.pk).first()  # serialises numbering
    if source == FindingSource.AUDIT or source not in FindingSource.values:
        raise ValidationError(
            {
                "source": _(
                    "Choose where the nonconformity came from; audit findings are raised in their audit."
                )
            }
        )
    number = (Finding.objects.filter(project=project).aggregate(n=Max("number"))["n"] or 0) + 1
    finding = Finding(
        project=project,
        source=source,
        source_reference=(source_reference or "").strip(),
        number=number,
        raised_by=user,
        raised_at=timezone.now(),
        **{k: v for k, v in fields.items() if k in FINDING_FIELDS},
    )
    if finding.grade not in NC_GRADES:
        raise ValidationError({"grade": _("Outside an audit, record a nonconformity (major or minor).")})
    finding.status = FindingStatus.OPEN
    _check_finding(finding)
    _apply_due_rule(finding, fields.get("due_date"))
    finding.full_clean()
    finding.save()
    _event(finding, user, "raised", f"{finding.get_grade_display()} from {finding.source_label}")
    _finding_publish(finding, "finding.raised", user)
    progress_refresh_on_commit(project.pk)
    activity_record(
        project=project,
        actor=user,
        verb="finding",
        message=gettext_noop("%(reference)s %(grade)s raised from %(source)s"),
        values={
            "reference": finding.reference,
            "grade": activity.choice(Grade, finding.grade),
            "source": _source_part(finding),
        },
        url=finding.get_absolute_url(),
    )
    return finding


@transaction.atomic
def finding_update(*, finding: Finding, user, expected_version: int, **fields) -> Finding:
    finding = lock_for_edit(Finding, finding.pk, expected_version=expected_version)
    _refuse_if_closed(finding)
    old_grade, old_due = finding.grade, finding.due_date
    for name in FINDING_FIELDS:
        if name in fields:
            setattr(finding, name, fields[name])
    if (old_grade in NC_GRADES) != (finding.grade in NC_GRADES):
        if finding.actions.exists():
            raise ValidationError(
                {"grade": _("This finding has corrective actions; it stays a nonconformity.")}
            )
        finding.status = FindingStatus.OPEN if finding.grade in NC_GRADES else FindingStatus.NOTED
    _check_finding(finding)
    requested = finding.due_date
    if finding.grade != old_grade and requested == old_due:
        requested = None  # a regraded finding takes its new grade's date unless a new one is chosen
    _apply_due_rule(finding, requested)
    finding.version += 1
    finding.full_clean()
    finding.save()
    _event(finding, user, "edited")
    progress_refresh_on_commit(finding.project_id)
    return finding


@transaction.atomic
def finding_respond(
    *,
    finding: Finding,
    user,
    expected_version: int,
    correction: str,
    root_cause: str,
    similar_nonconformities: str | None = None,
    actions_appropriate: str | None = None,
) -> Finding:
    """The auditee's answer: the correction made, the root cause found and the two questions 10.1
    asks (similar nonconformities; actions appropriate to the effects). None keeps an answer."""
    finding = lock_for_edit(Finding, finding.pk, expected_version=expected_version)
    _refuse_if_closed(finding)
    if not finding.is_nonconformity:
        raise ValidationError(_("Only nonconformities have a correction and a root cause."))
    changed = []
    if correction.strip() != finding.correction:
        changed.append("correction")
    if root_cause.strip() != finding.root_cause:
        changed.append("root cause")
    finding.correction, finding.root_cause = correction.strip(), root_cause.strip()
    answers = {"similar_nonconformities": similar_nonconformities, "actions_appropriate": actions_appropriate}
    answered = False
    for name, value in answers.items():
        if value is not None and value.strip() != getattr(finding, name):
            setattr(finding, name, value.strip())
            answered = True
    if answered:
        changed.append("10.1 answers")
    finding.version += 1
    finding.full_clean()
    finding.save()
    if changed:
        words = changed[0] if len(changed) == 1 else f"{', '.join(changed[:-1])} and {changed[-1]}"
        _event(finding, user, f"{words} recorded")
    return finding


def _finding_publish(finding: Finding, name: str, user) -> None:
    webhooks.webhook_publish(
        project=finding.project_id,
        name=name,
        key=f"{name}:{finding.pk}:{finding.version}",
        data={
            "finding": {
                "id": finding.pk,
                "reference": finding.reference,
                "grade": finding.grade,
                "clause": finding.clause,
                "status": finding.status,
                "audit": finding.audit_id,
                "url": webhooks.site_url(finding.get_absolute_url()),
            },
            "by": webhooks.actor(user),
        },
    )


CLOSING_ANSWERS = (
    ("correction", gettext_lazy("the correction made")),
    ("similar_nonconformities", gettext_lazy("whether similar nonconformities exist or could occur")),
    ("actions_appropriate", gettext_lazy("whether the actions are appropriate to the effects")),
)


def closing_gaps(finding: Finding) -> list[str]:
    """What a nonconformity still lacks before it may close (10.1)."""
    return [str(label) for name, label in CLOSING_ANSWERS if not (getattr(finding, name) or "").strip()]


def _finding_recompute(finding: Finding, user) -> None:
    """Move the finding along after one of its actions changed. A nonconformity closes only with
    its correction and the 10.1 answers recorded."""
    statuses = list(finding.actions.values_list("status", flat=True))
    if not statuses:
        return
    was_closed = finding.status == FindingStatus.CLOSED
    if all(s == ActionStatus.EFFECTIVE for s in statuses) and not was_closed:
        gaps = closing_gaps(finding)
        if gaps:
            raise ValidationError(
                _(
                    "%(reference)s cannot close yet: record %(items)s first "
                    "(Correction and root cause on the finding)."
                )
                % {"reference": finding.reference, "items": ", ".join(gaps)}
            )
    if all(s == ActionStatus.EFFECTIVE for s in statuses):
        finding.status = FindingStatus.CLOSED
        finding.closed_at, finding.closed_by = timezone.now(), user
        _event(finding, user, "closed", "Every corrective action was verified effective.")
    elif all(s in (ActionStatus.IMPLEMENTED, ActionStatus.EFFECTIVE) for s in statuses):
        if finding.status != FindingStatus.AWAITING_VERIFICATION:
            finding.status = FindingStatus.AWAITING_VERIFICATION
            _event(finding, user, "awaiting verification")
    elif finding.status == FindingStatus.AWAITING_VERIFICATION:
        finding.status = FindingStatus.OPEN
    finding.version += 1
    finding.save()
    if finding.status == FindingStatus.CLOSED and not was_closed:
        _finding_publish(finding, "finding.closed", user)


@transaction.atomic
def action_create(*, finding: Finding, user, description: str, owner, due_date: date) -> CorrectiveAction:
    finding = Finding.objects.select_for_update().get(pk=finding.pk)
    _refuse_if_closed(finding)
    if not finding.is_nonconformity:
        raise ValidationError(_("Corrective actions belong to nonconformities."))
    if not finding.root_cause.strip():
        raise ValidationError(_("Record the root cause first: corrective actions address it."))
    if owner.pk not in _member_ids(finding.project):
        raise ValidationError({"owner": _("The owner must be a member of the project.")})
    action = CorrectiveAction(
        project_id=finding.project_id,
        finding=finding,
        description=description.strip(),
        owner=owner,
        due_date=due_date,
        created_by=user,
    )
    action.full_clean()
    action.save()
    _event(finding, user, "corrective action added", f"{action.description} — owner {owner.username}", action)
    _finding_recompute(finding, user)
    activity_record(
        project=finding.project,
        actor=user,
        verb="corrective action",
        message=gettext_noop("Corrective action for %(reference)s assigned to %(username)s"),
        values={"reference": finding.reference, "username": owner.username},
        url=finding.get_absolute_url(),
    )
    return action


@transaction.atomic
def action_implement(
    *, action: CorrectiveAction, user, expected_version: int, notes: str
) -> CorrectiveAction:
    action = lock_for_edit(CorrectiveAction, action.pk, expected_version=expected_version)
    if action.owner_id != user.pk:
        raise ValidationError(_("Only the action's owner can report it implemented."))
    if action.status != ActionStatus.OPEN:
        raise ValidationError(_("Only an open action can be reported implemented."))
    if not notes.strip():
        raise ValidationError({"notes": _("Say what was done, so the verifier knows what to check.")})
    action.status = ActionStatus.IMPLEMENTED
    action.implementation_notes = notes.strip()
    action.implemented_at = timezone.now()
    action.version += 1
    action.save()
    finding = Finding.objects.select_for_update().get(pk=action.finding_id)
    _event(finding, user, "corrective action implemented", action.implementation_notes, action)
    _finding_recompute(finding, user)
    return action


@transaction.atomic
def action_verify(
    *,
    action: CorrectiveAction,
    user,
    expected_version: int,
    effective: bool,
    notes: str,
    by_certification_body: bool = False,
) -> CorrectiveAction:
    """Effectiveness verification by someone other than the action's owner.

    Effective: the action is done; the finding closes when all its actions are. Not effective:
    the action goes back to its owner and the finding is reopened. A major nonconformity raised by
    the certification body (Stage 2 and later) is verified by that body: recording it effective
    needs the confirmation that the body did so.
    """
    action = lock_for_edit(CorrectiveAction, action.pk, expected_version=expected_version)
    if action.owner_id == user.pk:
        raise ValidationError(_("The owner of an action cannot verify its effectiveness; someone else must."))
    if action.status != ActionStatus.IMPLEMENTED:
        raise ValidationError(_("Only an implemented action can be verified."))
    if not notes.strip():
        raise ValidationError({"notes": _("Record what you checked.")})
    finding = action.finding
    if effective and not by_certification_body:
        if finding.audit and needs_certification_body_verification(finding.grade, finding.audit.audit_type):
            raise ValidationError(
                {
                    "by_certification_body": _(
                        "A major nonconformity from a certification audit is verified "
                        "by the certification body: record its verification (its report or letter) and tick "
                        "the confirmation."
                    )
                }
            )
    action.verified_by_certification_body = bool(effective and by_certification_body)
    action.verified_by, action.verified_at = user, timezone.now()
    action.verification_notes = notes.strip()
    action.status = ActionStatus.EFFECTIVE if effective else ActionStatus.OPEN
    action.version += 1
    action.full_clean()
    action.save()
    finding = Finding.objects.select_for_update().get(pk=action.finding_id)
    if effective:
        _event(finding, user, "verified effective", action.verification_notes, action)
        _finding_recompute(finding, user)
    else:
        _event(finding, user, "verified not effective", action.verification_notes, action)
        finding.status = FindingStatus.REOPENED
        finding.closed_at = finding.closed_by = None
        finding.version += 1
        finding.save()
        _event(finding, user, "reopened", "A corrective action was not effective.")
    progress_refresh_on_commit(finding.project_id)
    activity_record(
        project=finding.project,
        actor=user,
        verb="verification",
        message=gettext_noop("%(reference)s: action verified effective")
        if effective
        else gettext_noop("%(reference)s: action verified not effective"),
        values={"reference": finding.reference},
        url=finding.get_absolute_url(),
    )
    return action


# Improvement register ---------------------------------------------------------------------

IMPROVEMENT_FIELDS = ("title", "description", "owner", "due_date", "status", "outcome")


def _check_improvement(improvement: Improvement) -> None:
    if improvement.owner_id and improvement.owner_id not in _member_ids(improvement.project):
        raise ValidationError({"owner": _("The owner must be a member of the project.")})


@transaction.atomic
def improvement_create(*, project: Project, user, finding: Finding | None = None, **fields) -> Improvement:
    if finding is not None:
        if finding.grade not in IMPROVEMENT_GRADES:
            raise ValidationError(
                _("Only observations and opportunities for improvement go to the register.")
            )
        if Improvement.objects.filter(finding=finding).exists():
            raise ValidationError(
                _("%(reference)s is already in the improvement register.") % {"reference": finding.reference}
            )
    improvement = Improvement(
        project=project,
        finding=finding,
        created_by=user,
        **{k: v for k, v in fields.items() if k in IMPROVEMENT_FIELDS},
    )
    improvement.title = (improvement.title or "").strip()
    _check_improvement(improvement)
    improvement.full_clean()
    improvement.save()
    if finding is not None:
        _event(finding, user, "added to the improvement register")
    progress_refresh_on_commit(project.pk)
    activity_record(
        project=project,
        actor=user,
        verb="improvement",
        message=gettext_noop("Improvement “%(title)s” registered"),
        values={"title": improvement.title},
        url=reverse("audits:improvement_list", args=[project.pk]),
    )
    return improvement


@transaction.atomic
def improvement_update(*, improvement: Improvement, user, expected_version: int, **fields) -> Improvement:
    improvement = lock_for_edit(Improvement, improvement.pk, expected_version=expected_version)
    for name in IMPROVEMENT_FIELDS:
        if name in fields:
            setattr(improvement, name, fields[name])
    improvement.title = (improvement.title or "").strip()
    _check_improvement(improvement)
    improvement.version += 1
    improvement.full_clean()
    improvement.save()
    progress_refresh_on_commit(improvement.project_id)
    return improvement
