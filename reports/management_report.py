"""The management progress report and the sections that `projects` data gives.

They are declared in reports/integration.py; the sections of the other apps (gap score per
clause, documented-information coverage, findings) in each app's integration.py.
"""

from collections import OrderedDict

from django.conf import settings

from projects import selectors
from projects.models import Task
from projects.progress import overall_progress
from projects.readiness import STAGES, readiness
from projects.timeline import timeline_chart

from .registry import build_sections

OVERDUE_LISTED = 40


def _dashboard(project, shared):
    if "dashboard" not in shared:
        shared["dashboard"] = selectors.dashboard(project=project)
    return shared["dashboard"]


def _gates(project, shared):
    """Both readiness gates (projects.readiness), computed once per report."""
    if "gates" not in shared:
        shared["gates"] = [readiness(project, stage) for stage in STAGES]
    return shared["gates"]


def _blockers(project, shared):
    return _gates(project, shared)[0].blockers


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


def _grouped(blockers):
    grouped: OrderedDict[str, list] = OrderedDict()
    for blocker in blockers:
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


def blockers_section(project, *, today, shared):
    """Stage 1 and Stage 2 readiness, each with its blockers (linked) and the shared warnings."""
    gates = _gates(project, shared)
    first = _grouped(gates[0].blockers)
    return {
        **first,  # Stage 1, as before
        "stages": [{"stage": gate.stage, **_grouped(gate.blockers)} for gate in gates],
        "warnings": gates[0].warnings,
        "site_url": settings.SITE_URL.rstrip("/"),
    }


def build_management_report(project, *, subject_id=None, today):
    return {
        "project": project,
        "today": today,
        "title": "Management progress report",
        "sections": build_sections(project, today=today),
        "site_url": settings.SITE_URL,
    }
