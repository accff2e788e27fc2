"""Everything audits contribute to the rest of the product (kernel.extensions): phase
progress, reminders, the findings section of the management report, the
audit report and the management review pack, Excel exports, the dashboard card and the demo data.
Registered in AuditsConfig.ready()."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from kernel.extensions import (
    Contributions,
    DashboardCard,
    DemoData,
    ExportSpec,
    ReportKindSpec,
    ReportSection,
    Responsibility,
    WebhookEventSpec,
)
from projects.roadmap import PhaseKey

from . import certification, reporting, selectors
from .demo import seed_audits
from .demo_certified import seed_certified_audits
from .models import (
    OPEN_FINDING_STATUSES,
    ActionStatus,
    Audit,
    AuditStatus,
    CorrectiveAction,
    Finding,
    Improvement,
    ImprovementStatus,
)
from .records import held_records
from .waiting import ACTIONS_TO_VERIFY, FINDINGS_TO_ANSWER


def audit_progress(project) -> dict[str, tuple[float, float]]:
    return selectors.audit_progress(project)


# What a member holds, handed over when they leave (projects.responsibilities) -----------------

ACTIVE_AUDITS = (AuditStatus.PLANNED, AuditStatus.IN_PROGRESS)


def _audits_in_team(project, user):
    return Audit.objects.filter(project=project, status__in=ACTIVE_AUDITS, team=user).order_by(
        "planned_start"
    )


def _swap_team_member(audits, project, old, new) -> None:
    Team = Audit.team.through
    ids = list(audits.values_list("pk", flat=True))
    Team.objects.filter(audit_id__in=ids, user_id=old.pk).delete()
    Team.objects.bulk_create([Team(audit_id=pk, user_id=new.pk) for pk in ids], ignore_conflicts=True)


RESPONSIBILITIES = (
    Responsibility(
        _("Audits they lead"),
        lambda project, user: Audit.objects.filter(
            project=project, status__in=ACTIVE_AUDITS, lead_auditor=user
        ).order_by("planned_start"),
        field="lead_auditor",
    ),
    Responsibility(_("Audit teams they are in"), _audits_in_team, reassign=_swap_team_member),
    Responsibility(
        _("Open findings they answer"),
        lambda project, user: Finding.objects.filter(
            project=project, owner=user, status__in=OPEN_FINDING_STATUSES
        ).order_by("pk"),
        field="owner",
    ),
    Responsibility(
        _("Corrective actions they own"),
        lambda project, user: (
            CorrectiveAction.objects.filter(project=project, owner=user)
            .exclude(status=ActionStatus.EFFECTIVE)
            .order_by("due_date", "pk")
        ),
        field="owner",
    ),
    Responsibility(
        _("Improvements they own"),
        lambda project, user: (
            Improvement.objects.filter(project=project, owner=user)
            .exclude(status__in=(ImprovementStatus.IMPLEMENTED, ImprovementStatus.REJECTED))
            .order_by("pk")
        ),
        field="owner",
    ),
)


CONTRIBUTIONS = Contributions(
    webhook_events=(
        WebhookEventSpec("finding.raised", "An audit finding was raised"),
        WebhookEventSpec("finding.closed", "An audit finding was closed"),
    ),
    progress_providers=(audit_progress,),
    progress_derived_from={
        PhaseKey.IMPROVEMENT: "the improvements implemented from the register",
        PhaseKey.INTERNAL_AUDIT: "the internal audits held",
        PhaseKey.MANAGEMENT_REVIEW: "the finalised management review",
        PhaseKey.STAGE_1: "the Stage 1 audit and its findings",
        PhaseKey.STAGE_2: "the Stage 2 audit and its findings",
    },
    reminder_sources=(
        reporting.corrective_action_reminders,
        reporting.audit_start_reminders,
        certification.surveillance_reminders,
    ),
    report_sections=(
        ReportSection(
            "findings",
            _("Findings by grade and status"),
            60,
            "reports/sections/findings.html",
            reporting.findings_section,
        ),
    ),
    report_kinds=(
        ReportKindSpec(
            "audit",
            _("Audit report"),
            "reports/audit_report.html",
            reporting.build_audit_report,
            reporting.audit_subjects,
        ),
        ReportKindSpec(
            "review",
            _("Management review pack"),
            "reports/review_pack.html",
            reporting.build_review_pack,
            reporting.review_subjects,
        ),
    ),
    exports=(
        ExportSpec("findings", _("Findings"), reporting.findings_export),
        ExportSpec("corrective-actions", _("Corrective actions"), reporting.actions_export),
    ),
    dashboard_cards=(DashboardCard("audits/partials/dashboard_card.html", order=30),),
    demo_data=DemoData(seed_audits, order=30, certified_seed=seed_certified_audits),
    responsibilities=RESPONSIBILITIES,
    waiting=(ACTIONS_TO_VERIFY, FINDINGS_TO_ANSWER),
    record_sources=(held_records,),
)
