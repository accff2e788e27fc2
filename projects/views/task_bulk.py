"""The lead's bulk changes on the task list: the selection and the change are shown in a summary
first; the confirmed change goes through projects.bulk (one transaction, changed tasks skipped)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from kernel.access import get_project_for_user

from ..bulk import BulkAction, tasks_bulk_update, tasks_for_bulk
from ..filters import member_users
from ..models import Role
from ..task_forms import MAX_ID, BulkTaskForm, parse_ids

TEMPLATE = "projects/task_bulk_confirm.html"


def _back(request, project) -> str:
    """The task list as the lead left it (its filters), or the plain list."""
    url = request.POST.get("next", "")
    task_list = reverse("projects:task_list", args=[project.pk])
    safe = url.startswith(task_list) and url.isprintable() and " " not in url
    return url if safe else task_list


def _refuse(request, project, errors: list[str], *, status: int = 400):
    """Nothing was changed: say why, with the way back to the list."""
    context = {"project": project, "errors": errors, "back": _back(request, project)}
    return render(request, TEMPLATE, context, status=status)


def _versions(request, ids: list[int]) -> dict[int, int] | None:
    """The version each task had when the summary was shown (None when one is missing or junk)."""
    versions = {}
    for pk in ids:
        raw = request.POST.get(f"version_{pk}", "")
        if not (raw.isascii() and raw.isdigit() and len(raw) <= 10) or not 0 < int(raw) <= MAX_ID:
            return None
        versions[pk] = int(raw)
    return versions


def _form_errors(form) -> list[str]:
    return [
        " ".join(errors) if name == "__all__" else f"{form.fields[name].label or name}: {' '.join(errors)}"
        for name, errors in form.errors.items()
    ]


@require_POST
def task_bulk(request, project_id):
    access = get_project_for_user(request, project_id, roles=[Role.LEAD])
    project = access.project
    ids = parse_ids(request.POST.getlist("task"))
    if ids is None:
        return _refuse(request, project, [_("The selection holds something that is not a task.")])
    form = BulkTaskForm(request.POST, project=project, members=member_users(project))
    if not form.is_valid():
        return _refuse(request, project, _form_errors(form))
    change = form.change()
    if request.POST.get("confirm") == "1":
        return _apply(request, project, change, ids)
    try:
        tasks = tasks_for_bulk(project=project, ids=ids)
    except ValidationError as error:
        return _refuse(request, project, error.messages)
    rows = [(task, change.problem(task)) for task in tasks]
    return render(
        request,
        TEMPLATE,
        {
            "project": project,
            "change": change,
            "rows": rows,
            "applicable": sum(1 for _task, problem in rows if not problem),
            "back": _back(request, project),
            "actions": BulkAction,
        },
    )


def _apply(request, project, change, ids):
    """The confirmed change; tasks deleted or edited since the summary are skipped and reported."""
    versions = _versions(request, ids)
    if versions is None:
        return _refuse(request, project, [_("The summary was incomplete; select the tasks again.")])
    try:
        result = tasks_bulk_update(project=project, user=request.user, change=change, versions=versions)
    except ValidationError as error:
        return _refuse(request, project, error.messages)
    count = len(result.changed)
    messages.success(
        request,
        ngettext("%(summary)s: done for %(count)d task.", "%(summary)s: done for %(count)d tasks.", count)
        % {"summary": change.summary, "count": count},
    )
    if result.skipped:
        skipped = "; ".join(
            _("“%(title)s” (%(why)s)") % {"title": title, "why": why} for title, why in result.skipped
        )
        messages.warning(request, _("Not changed: %(tasks)s.") % {"tasks": skipped})
    return redirect(_back(request, project))
