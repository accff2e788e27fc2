"""The management progress report: its kind and the sections that `projects` data gives.

Sections of the other apps (gap score per clause, documented-information coverage, findings)
register themselves through `report_registry.register_report_section` the same way.
"""

from collections import OrderedDict

from django.conf import settings

from projects import selectors
from projects.models import Task
from projects.progress import overall_progress
from projects.readiness import readiness_blockers
from projects.timeline import timeline_chart

from .registry import ReportKindSpec, ReportSection, build_sections, register_report_kind
from .registry import register_report_section as section

OVERDUE_LISTED = 40


def _dashboard(project, shared):
    if "dashboard" not in shared:
        shared["dashboard"] = selectors.dashboard(project=project)
    return shared["dashboard"]


def _blockers(project, shared):
    if "blockers" not in shared:
        shared["blockers"] = readiness_blockers(project)
    return shared["blockers"]


def summary_section(project, *, today, shared):
    data = _dashboard(project, shared)
    phases = data["phases"]
    counts = data["task_counts"]
    return {
        "progress": overall_progress(phases, {p.pk: p.progress for p in phases}),
        "forecast": data["forecast"],
        "counts": counts,
        "phases_done": sum(1 for p in phases if p.is_closed),
        "phases_total": len(phases),
        "current_phases": [p for p in phases if p.status == "in_progress"],
        "blocker_count": len(_blockers(project, shared)),
        "days_to_target": (project.target_certification_date - today).days,
    }


def timeline_section(project, *, today, shared):
    phases = _dashboard(project, shared)["phases"]
    return {"chart": timeline_chart(phases, today=today, target=project.target_certification_date)}


def phases_section(project, *, today, shared):
    return {"phases": _dashboard(project, shared)["phases"], "today": today}


def overdue_section(project, *, today, shared):
    overdue = Task.objects.overdue(today).filter(project=project)
    listed = list(overdue.select_related("assignee", "phase").order_by("due_date", "id")[:OVERDUE_LISTED])
    total = overdue.count() if len(listed) == OVERDUE_LISTED else len(listed)
    for task in listed:
        task.days_overdue = (today - task.due_date).days
    return {"tasks": listed, "total": total, "more": total - len(listed)}


BLOCKERS_LISTED = 25  # per category; the readiness page has them all


def blockers_section(project, *, today, shared):
    grouped: OrderedDict[str, list] = OrderedDict()
    for blocker in _blockers(project, shared):
        grouped.setdefault(blocker.category, []).append(blocker)
    groups = [
        {
            "category": category,
            "count": len(items),
            "listed": items[:BLOCKERS_LISTED],
            "more": max(len(items) - BLOCKERS_LISTED, 0),
        }
        for category, items in grouped.items()
    ]
    return {"groups": groups, "total": sum(g["count"] for g in groups)}


section(ReportSection("summary", "Executive summary", 10, "reports/sections/summary.html", summary_section))
section(ReportSection("timeline", "Roadmap timeline", 20, "reports/sections/timeline.html", timeline_section))
section(ReportSection("phases", "Phases", 30, "reports/sections/phases.html", phases_section, True))
section(ReportSection("overdue", "Overdue work", 80, "reports/sections/overdue.html", overdue_section, True))
section(
    ReportSection("blockers", "Readiness blockers", 90, "reports/sections/blockers.html", blockers_section)
)


def build_management_report(project, *, subject_id=None, today):
    return {
        "project": project,
        "today": today,
        "title": "Management progress report",
        "sections": build_sections(project, today=today),
        "site_url": settings.SITE_URL,
    }


register_report_kind(
    ReportKindSpec(
        kind="management",
        label="Management progress report",
        template="reports/management.html",
        build=build_management_report,
    )
)
