from urllib.parse import urlparse

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django.views.decorators.http import require_POST
from django_htmx.http import reswap, retarget, trigger_client_event

from kernel import pagecache
from kernel.access import get_project_for_user, hidden_projects
from kernel.formtools import add_validation_error, conflict_form, versioned_edit

from .. import selectors, services
from ..filters import TaskFilter, member_users
from ..forms import QuickTaskForm, TaskForm
from ..models import Phase, Task
from ..permissions import can_complete_task, can_create_task, can_edit_task
from ..progress import phase_progress
from ..task_forms import BulkTaskForm
from .task_work import task_page

PROGRESS_CHANGED = "progressChanged"

TASKS_PER_PAGE = 25  # rows of the task list a page shows (My work shows 50: one line each)


def _on_task_list(request, access) -> bool:
    """Whether an HTMX request comes from the task list (its rows show the phase, and a select box
    for the lead's bulk changes) rather than from a phase page."""
    if not request.htmx:
        return False
    path = urlparse(request.htmx.current_url or "").path
    return path == reverse("projects:task_list", args=[access.project.pk])


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
            "bulk_select": access.is_lead and _on_task_list(request, access),
            "show_phase": _on_task_list(request, access),
        },
        status=status,
    )
    if trigger:
        trigger_client_event(response, PROGRESS_CHANGED)
    return response


def task_list(request, project_id):
    access = get_project_for_user(request, project_id)
    project = access.project
    members = member_users(project)
    task_filter = TaskFilter(
        request.GET,
        queryset=selectors.task_list(project=project),
        project=project,
        user=request.user,
        members=members,
    )
    valid = task_filter.is_valid()
    # A filter that does not make sense (another project's phase, a range ending before it starts)
    # is refused with its message, not answered with a list that silently ignores it.
    tasks = task_filter.qs if valid else Task.objects.none()
    # Read inside the template's cached part (kernel/pagecache.py): on a hit the list's
    # queries do not run, nor those of the menus' choices (the members, the phases).
    page = pagecache.lazy(lambda: Paginator(tasks, TASKS_PER_PAGE).get_page(request.GET.get("page")))
    return render(
        request,
        "projects/task_list.html",
        {
            "project": project,
            "today": timezone.localdate(),
            "page": page,
            "filter": task_filter,
            "can_create_task": can_create_task(access),
            "can_edit_tasks": can_edit_task(access, None),
            "completable": pagecache.lazy(lambda: {t.pk for t in page if can_complete_task(access, t)}),
            "bulk_select": access.is_lead,
            "bulk_form": pagecache.lazy(lambda: BulkTaskForm(project=project, members=members))
            if access.is_lead
            else None,
        },
        status=200 if valid else 400,
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
                messages.success(request, _("Task “%(title)s” created.") % {"title": task.title})
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
    return task_page(request, access, task)


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
        on_conflict=lambda current: conflict_form(
            TaskForm, current, noun=pgettext("record being edited", "task"), project=access.project
        ),
    )
    if edit.saved:
        if inline:
            return _task_row(request, access, edit.result)
        messages.success(request, _("Task saved."))
        return redirect(edit.result)
    context = {"project": access.project, "form": edit.form, "task": task}
    return render(
        request,
        template,
        context | {"bulk_select": access.is_lead and _on_task_list(request, access)},
        status=edit.status,
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
    if done:
        messages.success(request, _("Task “%(title)s” completed.") % {"title": task.title})
    else:
        messages.success(request, _("Task “%(title)s” reopened.") % {"title": task.title})
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
        messages.success(request, _("Task deleted."))
        return redirect(phase)
    return render(
        request,
        "confirm_delete.html",
        {
            "project": access.project,
            "title": _("Delete the task “%(title)s”?") % {"title": task.title},
            "body": _("The task, its comments, files and history are removed. This cannot be undone."),
            "confirm_label": _("Delete task"),
            "cancel_url": task.get_absolute_url(),
        },
    )


def my_work(request):
    """The user's open tasks and, beside them, what waits for their approval. With ?waiting=<kind>,
    the whole list of that kind, paginated."""
    key = request.GET.get("waiting")
    if key is not None:
        source = selectors.waiting_source(key)
        if source is None:
            raise Http404("No such list.")
        rows = selectors.waiting_rows(source, user=request.user, hidden=hidden_projects(request))
        page = Paginator(rows, 50).get_page(request.GET.get("page"))
        page.object_list = [source.item(row) for row in page.object_list]
        return render(request, "projects/my_waiting.html", {"page": page, "source": source})
    # Both read inside the template's cached part (kernel/pagecache.py): on a hit their
    # queries do not run.
    hidden = hidden_projects(request)  # projects that require MFA the user has not set up
    tasks = selectors.my_open_tasks(user=request.user, hidden=hidden)
    context = {
        "page": pagecache.lazy(lambda: Paginator(tasks, 50).get_page(request.GET.get("page"))),
        "today": timezone.localdate(),
        "waiting": pagecache.lazy(lambda: selectors.waiting_for_user(user=request.user, hidden=hidden)),
        "member_projects": selectors.member_project_ids(user=request.user),
    }
    return render(request, "projects/my_work.html", context)
