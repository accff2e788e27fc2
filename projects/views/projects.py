from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from kernel import pagecache
from kernel.access import get_project_for_user, hidden_projects, request_satisfies_mfa
from kernel.extensions import dashboard_cards
from kernel.formtools import add_validation_error, conflict_form, versioned_edit
from kernel.history import history_entries

from .. import selectors, services
from ..forms import ProjectForm
from ..models import Role
from ..permissions import can_create_task
from ..setup_checklist import setup_checklist
from ..timeline import timeline_chart


def project_list(request):
    hidden = hidden_projects(request)

    def listed():
        projects = selectors.project_list(user=request.user, hidden=hidden)
        page = Paginator(projects, 25).get_page(request.GET.get("page"))
        page.object_list = selectors.add_task_counts(page.object_list)
        return page

    # Read inside the template's cached part, kept per user (kernel/pagecache.py).
    # The notes: invitations waiting, and projects left out because they require MFA (counted,
    # never named: the member learns that setting it up opens them).
    notes = pagecache.lazy(lambda: selectors.project_list_notes(user=request.user, hidden=hidden))
    return render(
        request,
        "projects/project_list.html",
        {
            "page": pagecache.lazy(listed),
            "notes": notes,
            "today": timezone.localdate(),
            "member_projects": selectors.member_project_ids(user=request.user),
        },
    )


def project_create(request):
    form = ProjectForm(request.POST or None)
    if request.method == "POST":
        if form.is_valid():
            try:
                project = services.project_create(user=request.user, **form.cleaned_data)
            except ValidationError as error:
                add_validation_error(form, error)
            else:
                messages.success(
                    request, _("Project created. The roadmap is planned back from your target date.")
                )
                return redirect(project)
        return render(request, "projects/project_form.html", {"form": form}, status=422)
    return render(request, "projects/project_form.html", {"form": form})


def project_dashboard(request, project_id):
    access = get_project_for_user(request, project_id)
    project = access.project

    def compute():
        context = selectors.dashboard(project=project)
        context["timeline"] = timeline_chart(
            context["phases"], today=context["today"], target=project.target_certification_date
        )
        return context

    # Read inside the template's cached part (kernel/pagecache.py): on a hit, none of the
    # dashboard's queries runs and nothing is rendered again.
    data = pagecache.lazy(compute)
    context = {name: pagecache.lazy(lambda name=name: data[name]) for name in DASHBOARD_DATA}
    context.update(
        project=project,
        today=timezone.localdate(),
        can_create_task=can_create_task(access),
        # The set-up steps are the lead's to take; other members are not shown a to-do list.
        setup_checklist=setup_checklist(project=access.project) if access.is_lead else None,
        dashboard_cards=dashboard_cards(),
    )
    return render(request, "projects/dashboard.html", context)


DASHBOARD_DATA = (
    "phases",
    "overdue_tasks",
    "due_soon_tasks",
    "task_counts",
    "activity",
    "forecast",
    "outlook",
    "timeline",
)


def project_edit(request, project_id):
    access = get_project_for_user(request, project_id, roles=[Role.LEAD])
    project = access.project
    lead_has_second_factor = request_satisfies_mfa(request)
    form = ProjectForm(request.POST or None, instance=project, lead_has_second_factor=lead_has_second_factor)
    edit = versioned_edit(
        request,
        form,
        lambda data, version: services.project_update(
            project=project, user=request.user, expected_version=version, **data
        ),
        on_conflict=lambda current: conflict_form(
            ProjectForm, current, noun=pgettext("record being edited", "project")
        ),
    )
    if edit.saved:
        messages.success(request, _("Project saved."))
        return redirect(project)
    context = {
        "form": edit.form,
        "project": project,
        "lead_has_second_factor": lead_has_second_factor,
        "mfa_setup_url": reverse("mfa_activate_totp"),
    }
    return render(request, "projects/project_form.html", context, status=edit.status)


def project_history(request, project_id):
    access = get_project_for_user(request, project_id)
    return render(
        request,
        "projects/project_history.html",
        {
            "project": access.project,
            "today": timezone.localdate(),
            # Read inside the template's cached part (kernel/pagecache.py).
            "entries": pagecache.lazy(lambda: history_entries(access.project)),
        },
    )
