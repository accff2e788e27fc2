"""The readiness page and the dashboard card's summary line (both gates), for any member."""

from django.shortcuts import render
from django.utils import timezone

from kernel import pagecache
from kernel.access import get_project_for_user

from .gate import STAGES, readiness

BLOCKERS_SHOWN = 10  # per group, unless everything is asked for


def page(request, project_id):
    access = get_project_for_user(request, project_id)
    project = access.project
    show_all = request.GET.get("show") == "all"
    stage = 2 if request.GET.get("stage") == "2" else 1
    # Computed inside the template's cached part: on a hit none of these queries runs.
    return render(
        request,
        "readiness/page.html",
        {
            "project": project,
            "stage": stage,
            "shown": None if show_all else BLOCKERS_SHOWN,
            "show_all": show_all,
            "today": timezone.localdate(),
            "readiness": pagecache.lazy(lambda: _page_context(project, stage)),
        },
    )


def summary(request, project_id):
    """Both gates in a line, loaded into the dashboard card after the page."""
    access = get_project_for_user(request, project_id)
    gates = [readiness(access.project, stage) for stage in STAGES]
    return render(request, "readiness/summary.html", {"project": access.project, "gates": gates})


def _page_context(project, stage):
    gate = readiness(project, stage)
    return {"groups": gate.groups, "blocker_count": len(gate.blockers), "warnings": gate.warnings}
