"""What the reports app contributes from `projects` data: the management progress report and its
roadmap sections, the tasks sheet and the report-schedule setup step. (`projects` is the ground the
other apps stand on and imports none of this; its own contributions are in projects/integration.py;
the task reminders are notifications/integration.py's.)"""

from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from kernel.extensions import Contributions, EmailKind, ExportSpec, ReportKindSpec, ReportSection, SetupStep
from reports import management_report as management
from reports.exports import tasks_export
from reports.models import ReportSchedule


def _report_schedule_set(project) -> Q:
    """Saved by the lead at least once: a schedule the monthly sweep made by default has version 1."""
    return Q(Exists(ReportSchedule.objects.filter(project=OuterRef("pk"), version__gt=1)))


CONTRIBUTIONS = Contributions(
    email_kinds=(EmailKind("monthly_report", _("Monthly management report")),),
    report_kinds=(
        ReportKindSpec(
            kind="management",
            label=_("Management progress report"),
            template="reports/management.html",
            build=management.build_management_report,
        ),
    ),
    report_sections=(
        ReportSection(
            "summary", _("Executive summary"), 10, "reports/sections/summary.html", management.summary_section
        ),
        ReportSection(
            "timeline",
            _("Roadmap timeline"),
            20,
            "reports/sections/timeline.html",
            management.timeline_section,
        ),
        ReportSection("phases", _("Phases"), 30, "reports/sections/phases.html", management.phases_section),
        ReportSection(
            # Flows on after the findings (no forced page): a forced break left a page holding the
            # last two rows of the findings table and nothing else (issue 25 §2.3).
            "overdue",
            _("Overdue work"),
            80,
            "reports/sections/overdue.html",
            management.overdue_section,
        ),
        ReportSection(
            "blockers",
            _("Readiness blockers"),
            90,
            "reports/sections/blockers.html",
            management.blockers_section,
        ),
    ),
    exports=(ExportSpec("tasks", _("Tasks"), tasks_export),),
    setup_steps=(
        SetupStep(
            key="report-schedule",
            order=40,
            title=_("Set the monthly report schedule"),
            hint=_("Choose the day each month the management progress report goes to the leads and viewers."),
            url_name="reports:schedule",
            done=_report_schedule_set,
        ),
    ),
)
