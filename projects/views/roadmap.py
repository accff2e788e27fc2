from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django.views.decorators.http import require_POST

from kernel import pagecache
from kernel.access import get_project_for_user
from kernel.formtools import conflict_form, versioned_edit
from kernel.history import history_entries

from .. import selectors, services
from ..forms import PhaseForm, QuickTaskForm
from ..models import Milestone, Phase
from ..permissions import can_complete_task, can_create_task, can_edit_phase, can_edit_task
from ..scheduling import forecast_finish
from ..timeline import timeline_chart

TASKS_PER_PAGE = 50


def roadmap(request, project_id):
    access = get_project_for_user(request, project_id)
    project = access.project
    today = timezone.localdate()
    # Read inside the template's cached part (kernel/pagecache.py): on a hit the phases
    # are not read and the chart is not computed. The dashboard's other lists are not shown here.
    phases = pagecache.lazy(lambda: list(selectors.phase_list(project=project)))
    target = project.target_certification_date
    return render(
        request,
        "projects/roadmap.html",
        {
            "project": project,
            "today": today,
            "phases": phases,
            "timeline": pagecache.lazy(lambda: timeline_chart(list(phases), today=today, target=target)),
            "forecast": pagecache.lazy(lambda: forecast_finish(list(phases), target, today)),
            "outlook": pagecache.lazy(
                lambda: selectors.project_outlook(project=project, phases=list(phases), today=today)
            ),
        },
    )


def phase_detail(request, project_id, phase_id):
    access = get_project_for_user(request, project_id)
    phase = get_object_or_404(
        Phase.objects.select_related("owner", "override_by", "depends_on"),
        pk=phase_id,
        project=access.project,
    )
    page = pagecache.lazy(
        lambda: Paginator(selectors.task_list(project=access.project, phase=phase), TASKS_PER_PAGE).get_page(
            request.GET.get("page")
        )
    )
    tasks = pagecache.lazy(lambda: list(page))
    # The page below the access check is a cached part of the template (kernel/pagecache.py):
    # on a hit, the queries of the milestones, the task rows and the history do not run.
    return render(
        request,
        "projects/phase_detail.html",
        {
            "project": access.project,
            "phase": phase,
            "today": timezone.localdate(),
            "tasks": tasks,
            "page": page,
            "milestones": pagecache.lazy(lambda: list(phase.milestones.select_related("completed_by"))),
            "can_edit_phase": can_edit_phase(access, phase),
            "can_create_task": can_create_task(access),
            "can_edit_tasks": can_edit_task(access, None),
            "completable": pagecache.lazy(lambda: {t.pk for t in tasks if can_complete_task(access, t)}),
            "quick_form": pagecache.lazy(lambda: QuickTaskForm(project=access.project))
            if can_create_task(access)
            else None,
            "history": pagecache.lazy(lambda: history_entries(phase)),
        },
    )


def phase_edit(request, project_id, phase_id):
    access = get_project_for_user(request, project_id)
    phase = get_object_or_404(Phase, pk=phase_id, project=access.project)
    access.require(can_edit_phase(access, phase))
    form = PhaseForm(request.POST or None, instance=phase, project=access.project)

    def save(data, version):
        return services.phase_update(
            phase=phase,
            user=request.user,
            expected_version=version,
            override_reason=data.pop("override_reason"),
            is_lead=access.is_lead,
            **data,
        )

    edit = versioned_edit(
        request,
        form,
        save,
        on_conflict=lambda current: conflict_form(
            PhaseForm, current, noun=pgettext("record being edited", "phase"), project=access.project
        ),
    )
    if edit.saved:
        messages.success(request, _("Phase %(label)s saved.") % {"label": phase.label})
        return redirect(phase)
    blocking = services.earlier_open_mandatory_phases(phase)
    return render(
        request,
        "projects/phase_form.html",
        {"project": access.project, "phase": phase, "form": edit.form, "blocking": blocking},
        status=edit.status,
    )


@require_POST
def milestone_toggle(request, project_id, phase_id, milestone_id):
    access = get_project_for_user(request, project_id)
    milestone = get_object_or_404(
        Milestone.objects.select_related("phase"),
        pk=milestone_id,
        phase_id=phase_id,
        phase__project=access.project,
    )
    access.require(can_edit_phase(access, milestone.phase))
    services.milestone_toggle(milestone=milestone, user=request.user)
    return redirect(milestone.phase)
