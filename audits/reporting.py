"""Audits: corrective actions and audits starting soon as reminders; findings in the management report;
the audit report and the management review pack; Excel exports of findings and corrective actions."""

from django.conf import settings
from django.db.models import Count, F, Prefetch
from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from audits import selectors
from audits.models import (
    ActionStatus,
    Audit,
    AuditStatus,
    CorrectiveAction,
    Finding,
    FindingStatus,
    Grade,
    ManagementReview,
    OutputKind,
)
from kernel.extensions import ReminderItem, due_window

OPEN_ACTION = (ActionStatus.OPEN,)


def corrective_action_reminders(
    *, today, until=None, since=None, user_id=None, project_ids=None, exclude_user_ids=()
):
    """Open corrective actions due within the horizon or overdue, for their owner."""
    actions = due_window(
        CorrectiveAction.objects.filter(
            status__in=OPEN_ACTION, owner__isnull=False, project__memberships__user=F("owner")
        ),
        "due_date",
        today=today,
        until=until,
        since=since,
        user_field="owner",
        user_id=user_id,
        project_ids=project_ids,
        exclude_user_ids=exclude_user_ids,
    )
    rows = actions.order_by("due_date", "id").values_list(
        "pk",
        "owner_id",
        "project_id",
        "project__name",
        "finding_id",
        "finding__number",
        "description",
        "due_date",
    )
    return [
        ReminderItem(
            user_id=owner_id,
            project_id=project,
            project_name=project_name,
            category=gettext_lazy("Corrective action"),
            title=f"F-{number}: {description[:120]}",  # Finding.reference
            due_date=due_date,
            url_name="audits:finding_detail",
            url_args=(project, finding_id),
            key=f"corrective-action:{pk}",
        )
        for pk, owner_id, project, project_name, finding_id, number, description, due_date in rows
    ]


def audit_start_reminders(
    *, today, until=None, since=None, user_id=None, project_ids=None, exclude_user_ids=()
):
    """Planned audits starting within REMINDER_AUDIT_HORIZON_DAYS, for the lead auditor and the team."""
    audits = due_window(
        Audit.objects.filter(status=AuditStatus.PLANNED).select_related("project").prefetch_related("team"),
        "planned_start",
        today=today,
        until=until,
        since=since,
        earliest=today,
        horizon_days=settings.REMINDER_AUDIT_HORIZON_DAYS,
        project_ids=project_ids,
    )
    members = {}
    items = []
    audits = list(audits.order_by("planned_start", "id"))
    if audits:
        from projects.models import Membership

        for member_project, member_id in Membership.objects.filter(
            project_id__in={a.project_id for a in audits}
        ).values_list("project_id", "user_id"):
            members.setdefault(member_project, set()).add(member_id)
    for audit in audits:
        people = {audit.lead_auditor_id} | {member.pk for member in audit.team.all()}
        for person in sorted(p for p in people if p and p in members.get(audit.project_id, ())):
            if (user_id is not None and person != user_id) or person in exclude_user_ids:
                continue
            items.append(
                ReminderItem(
                    user_id=person,
                    project_id=audit.project_id,
                    project_name=audit.project.name,
                    category="Audit starts",
                    title=audit.title,
                    due_date=audit.planned_start,
                    url_name="audits:audit_detail",
                    url_args=(audit.project_id, audit.pk),
                    key=f"audit-start:{audit.pk}",
                )
            )
    return items


# The management report ---------------------------------------------------------------------


def findings_section(project, *, today, shared):
    counts = {
        (row["grade"], row["status"]): row["n"]
        for row in Finding.objects.filter(project=project)
        .values("grade", "status")
        .annotate(n=Count("id"))
        .order_by()
    }
    statuses = [s for s in FindingStatus if any(counts.get((g, s), 0) for g in Grade)]
    grid = [
        {
            "grade": grade.label,
            "cells": [counts.get((grade, status), 0) for status in statuses],
            "total": sum(counts.get((grade, s), 0) for s in FindingStatus),
        }
        for grade in Grade
    ]
    open_findings = list(
        selectors.finding_list(project)
        .filter(status__in=(FindingStatus.OPEN, FindingStatus.REOPENED, FindingStatus.AWAITING_VERIFICATION))
        .filter(grade__in=(Grade.MAJOR_NC, Grade.MINOR_NC))
        .order_by("due_date", "number")[:30]
    )
    return {
        "statuses": [s.label for s in statuses],
        "grid": grid,
        "total": sum(counts.values()),
        "actions": selectors.action_counts(project),
        "open_ncs": open_findings,
        "today": today,
    }


# The audit report --------------------------------------------------------------------------


def audit_subjects(project):
    return [
        (pk, title)
        for pk, title in Audit.objects.filter(project=project)
        .order_by("planned_start", "id")
        .values_list("pk", "title")
    ]


def build_audit_report(project, *, subject_id, today):
    audit = (
        Audit.objects.filter(project=project, pk=subject_id)
        .select_related("lead_auditor")
        .prefetch_related("team")
        .get()
    )
    findings = list(
        Finding.objects.filter(audit=audit)
        .select_related("owner", "raised_by", "closed_by")
        .prefetch_related(
            Prefetch("actions", queryset=CorrectiveAction.objects.select_related("owner", "verified_by"))
        )
        .order_by("number")
    )
    by_grade = {grade.label: sum(1 for f in findings if f.grade == grade) for grade in Grade}
    return {
        "project": project,
        "title": _("Audit report"),
        "subtitle": audit.title,
        "audit": audit,
        "findings": findings,
        "by_grade": by_grade,
        "checklist": selectors.checklist_summary(audit),
    }


# The management review pack ------------------------------------------------------------------


def review_subjects(project):
    return [
        (pk, f"{title} ({formats.date_format(meeting, 'DATE_FORMAT')})")
        for pk, title, meeting in ManagementReview.objects.filter(project=project).values_list(
            "pk", "title", "meeting_date"
        )
    ]


def build_review_pack(project, *, subject_id, today):
    review = (
        ManagementReview.objects.filter(project=project, pk=subject_id)
        .select_related("finalised_by")
        .prefetch_related(
            "attendees", "top_management", "sections", "actions__task__assignee", "outputs__action__task"
        )
        .get()
    )
    outputs = list(review.outputs.all())
    return {
        "project": project,
        "title": _("Management review pack") if not review.is_final else _("Management review minutes"),
        "subtitle": f"{review.title}, {formats.date_format(review.meeting_date, 'DATE_FORMAT')}",
        "review": review,
        "sections_list": list(review.sections.all()),
        "actions": list(review.actions.all()),
        # The decisions clause 9.3 expects, by kind, each with the task it became (if it did).
        "decision_groups": [
            (label, [output for output in outputs if output.kind == kind])
            for kind, label in OutputKind.choices
        ],
    }


# Excel exports -------------------------------------------------------------------------------


def findings_export(project):
    headers = [
        _("Ref"), _("Source"), _("Grade"), _("Clause"), _("Status"),
        _("Description"), _("Owner"), _("Due"), _("Raised"), _("Closed"),
    ]  # fmt: skip
    rows = [
        [
            f.reference,
            f.audit.title if f.audit_id else f.source_label,
            f.get_grade_display(),
            f.clause,
            f.get_status_display(),
            f.description,
            f.owner.username if f.owner else "",
            f.due_date,
            f.raised_at,
            f.closed_at,
        ]
        for f in selectors.finding_list(project).order_by("number")
    ]
    return headers, rows


def actions_export(project):
    headers = [
        _("Finding"),
        _("Grade"),
        _("Action"),
        _("Owner"),
        _("Due"),
        _("Status"),
        _("Implemented"),
        _("Verified by"),
        _("Verified at"),
    ]
    actions = (
        CorrectiveAction.objects.filter(project=project)
        .select_related("finding", "owner", "verified_by")
        .order_by("finding__number", "id")
    )
    rows = [
        [
            a.finding.reference,
            a.finding.get_grade_display(),
            a.description,
            a.owner.username if a.owner else "",
            a.due_date,
            a.get_status_display(),
            a.implemented_at,
            a.verified_by.username if a.verified_by else "",
            a.verified_at,
        ]
        for a in actions
    ]
    return headers, rows
