"""Everything gap analysis contributes to the rest of the product (kernel.extensions):
phase 3's progress, the gap section of the management report, the gap-analysis
report, the dashboard card and the demo data. Registered in GapanalysisConfig.ready()."""

from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from kernel.extensions import (
    Contributions,
    DashboardCard,
    DemoData,
    ReportKindSpec,
    ReportSection,
    SetupStep,
    WebhookEventSpec,
)
from projects.roadmap import PhaseKey

from . import reporting, selectors, services
from .demo import seed_certified_gap_analysis, seed_gap_analysis
from .models import Assessment


def _gap_analysis_started(project) -> Q:
    return Q(Exists(Assessment.objects.filter(project=OuterRef("pk"))))


CONTRIBUTIONS = Contributions(
    webhook_events=(WebhookEventSpec("answer.changed", "A gap-analysis answer changed"),),
    progress_providers=(selectors.gap_phase_progress,),
    upload_usage=(selectors.evidence_bytes,),
    progress_derived_from={PhaseKey.GAP_ANALYSIS: "the answers of the latest gap assessment"},
    report_sections=(
        ReportSection(
            "gap", _("Gap score per clause"), 40, "reports/sections/gap.html", reporting.gap_section
        ),
    ),
    report_kinds=(
        ReportKindSpec(
            kind="gap",
            label=_("Gap-analysis report"),
            template="reports/gap_report.html",
            build=reporting.build_gap_report,
            subjects=reporting.gap_subjects,
        ),
    ),
    dashboard_cards=(DashboardCard("gapanalysis/partials/dashboard_card.html", order=20),),
    demo_data=DemoData(seed_gap_analysis, order=20, certified_seed=seed_certified_gap_analysis),
    responsibilities=(services.AUDITOR_ASSIGNMENTS,),
    setup_steps=(
        SetupStep(
            key="gap-analysis",
            order=30,
            title=_("Start the gap analysis"),
            hint=_("Assess where the organisation stands against every clause, to plan the work from it."),
            url_name="gapanalysis:create",
            done=_gap_analysis_started,
        ),
    ),
)
