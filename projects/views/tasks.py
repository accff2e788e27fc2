from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST
from django_htmx.http import reswap, retarget, trigger_client_event

from sms_tracker.core import pagecache
from sms_tracker.core.access import get_project_for_user
from sms_tracker.core.formtools import add_validation_error, conflict_form, versioned_edit
from sms_tracker.core.history import history_entries

from .. import selectors, services
from ..forms import QuickTaskForm, TaskForm
from ..models import Phase, Task, TaskStatus
from ..permissions import can_complete_task, can_create_task, can_edit_task
from ..progress import phase_progress

PROGRESS_CHANGED = "progressChanged"

TASKS_PER_PAGE = 25  # rows of the task list a page shows (My work shows 50: one line each)


def _task_row(request, access, task, *, status=200, trigger=True):
    task = selectors.task_list(project=access.project).get(pk=task.pk)
    phase = Phase.objects.get(pk=task.phase_id)
    # The stored figure is refreshed after commit (maybe by a worker, a moment later): show the
    # live one next to the change that moved it.
    phase.progress = phase_progress(access.project, [phase])[phase.pk]
    response = render(
        request,
        "projects/partials/task_row.html",
        {
            "task": task,
            "project": access.project,
            "can_edit_tasks": can_edit_task(access, task),
            "completable": {task.pk} if can_complete_task(access, task) else set(),
            "oob_phase": phase,
        },
        status=status,
    )
    if trigger:
        trigger_client_event(response, PROGRESS_CHANGED)
    return response


def task_list(request, project_id):
    access = get_project_for_user(request, project_id)
    tasks = selectors.task_list(project=access.project)
    show = request.GET.get("show", "open")
    if show == "open":
        tasks = tasks.exclude(status=TaskStatus.DONE)
    elif show == "mine":
        tasks = tasks.filter(assignee=request.user)
    # Read inside the template's cached part (sms_tracker/core/pagecache.py): on a hit the list's
    # queries do not run.
    page = pagecache.lazy(lambda: Paginator(tasks, TASKS_PER_PAGE).get_page(request.GET.get("page")))
    return render(
        request,
        "projects/task_list.html",
        {
            "project": access.project,
            "today": timezone.localdate(),
            "page": page,
            "show": show,
            "can_create_task": can_create_task(access),
            "can_edit_tasks": can_edit_task(access, None),
            "completable": pagecache.lazy(lambda: {t.pk for t in page if can_complete_task(access, t)}),
        },
    )


def task_create(request, project_id):
    access = get_project_for_user(request, project_id)
    access.require(can_create_task(access))
    project = access.project
    quick_phase = None
    if request.htmx and request.POST.get("phase_id"):
        quick_phase = get_object_or_404(Phase, pk=_int(request.POST["phase_id"]), project=project)
    if quick_phase is not None:
        form = QuickTaskForm(request.POST, project=project)
        if form.is_valid():
            try:
                task = services.task_create(
                    project=project, user=request.user, phase=quick_phase, **form.cleaned_data
                )
            except ValidationError as error:
                add_validation_error(form, error)
            else:
                response = _task_row(request, access, task)
                trigger_client_event(response, "taskCreated")
                return response
        response = render(
            request,
            "projects/partials/quick_task_form.html",
            {"quick_form": form, "phase": quick_phase, "project": project},
            status=422,
        )
        return reswap(retarget(response, "#quick-task-form"), "outerHTML")

    initial = {}
    if request.GET.get("phase"):
        initial["phase"] = get_object_or_404(Phase, pk=_int(request.GET["phase"]), project=project)
    form = TaskForm(request.POST or None, project=project, initial=initial)
    if request.method == "POST":
        if form.is_valid():
            try:
                task = services.task_create(project=project, user=request.user, **form.cleaned_data)
            except ValidationError as error:
                add_validation_error(form, error)
            else:
                messages.success(request, f"Task “{task.title}” created.")
                return redirect(task.phase)
        return render(request, "projects/task_form.html", {"project": project, "form": form}, status=422)
    return render(request, "projects/task_form.html", {"project": project, "form": form})


def _int(value) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return 0  # no object has id 0: the lookup then answers 404


def task_detail(request, project_id, task_id):
    access = get_project_for_user(request, project_id)
    task = get_object_or_404(
        Task.objects.select_related("phase", "assignee", "created_by", "completed_by"),
        pk=task_id,
        project=access.project,
    )
    return render(
        request,
        "projects/task_detail.html",
        {
            "project": access.project,
            "task": task,
            "history": history_entries(task),
            "can_edit": can_edit_task(access, task),
            "can_complete": can_complete_task(access, task),
        },
    )


def task_edit(request, project_id, task_id):
    access = get_project_for_user(request, project_id)
    task = get_object_or_404(Task, pk=task_id, project=access.project)
    access.require(can_edit_task(access, task))
    inline = bool(request.htmx) and request.GET.get("inline", request.POST.get("inline")) == "1"
    form = TaskForm(request.POST or None, instance=task, project=access.project)
    template = "projects/partials/task_edit_row.html" if inline else "projects/task_form.html"
    edit = versioned_edit(
        request,
        form,
        lambda data, version: services.task_update(
            task=task, user=request.user, expected_version=version, **data
        ),
        on_conflict=lambda current: conflict_form(TaskForm, current, noun="task", project=access.project),
    )
    if edit.saved:
        if inline:
            return _task_row(request, access, edit.result)
        messages.success(request, "Task saved.")
        return redirect(edit.result)
    return render(
        request, template, {"project": access.project, "form": edit.form, "task": task}, status=edit.status
    )


def task_row(request, project_id, task_id):
    """The read-only row, for cancelling an inline edit."""
    access = get_project_for_user(request, project_id)
    task = get_object_or_404(Task, pk=task_id, project=access.project)
    return _task_row(request, access, task, trigger=False)


@require_POST
def task_complete(request, project_id, task_id):
    access = get_project_for_user(request, project_id)
    task = get_object_or_404(Task, pk=task_id, project=access.project)
    access.require(can_complete_task(access, task))
    done = request.POST.get("done", "1") != "0"
    task = services.task_set_done(task=task, user=request.user, done=done)
    if request.htmx:
        return _task_row(request, access, task)
    messages.success(request, f"Task “{task.title}” {'completed' if done else 'reopened'}.")
    return redirect(request.POST.get("next") if _is_local(request.POST.get("next")) else task.phase)


def _is_local(url) -> bool:
    return bool(url) and url.startswith("/") and not url.startswith("//")


def task_delete(request, project_id, task_id):
    access = get_project_for_user(request, project_id)
    task = get_object_or_404(Task.objects.select_related("phase"), pk=task_id, project=access.project)
    access.require(can_edit_task(access, task))
    if request.method == "POST":
        phase = task.phase
        services.task_delete(task=task, user=request.user)
        messages.success(request, "Task deleted.")
        return redirect(phase)
    return render(
        request,
        "confirm_delete.html",
        {
            "project": access.project,
            "title": f"Delete the task “{task.title}”?",
            "body": "The task and its history are removed. This cannot be undone.",
            "confirm_label": "Delete task",
            "cancel_url": task.get_absolute_url(),
        },
    )


def my_work(request):
    page = Paginator(selectors.my_open_tasks(user=request.user), 50).get_page(request.GET.get("page"))
    return render(request, "projects/my_work.html", {"page": page, "today": timezone.localdate()})
