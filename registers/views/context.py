"""The context page (4.1, 4.2): the determination with the climate-change decision, and the way to
the issues and interested parties; and the registers' overview."""

from django.contrib import messages
from django.db.models import Count, Q
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import pgettext

from kernel.access import get_project_for_user
from kernel.formtools import conflict_form, versioned_edit
from kernel.history import history_entries

from .. import permissions, selectors, services
from ..forms import ContextDeterminationForm
from ..kinds import SECTIONS
from ..models import ContextDetermination, Objective, Risk, RiskStatus, Service, SlaActual, Supplier


def context(request, project_id):
    access = get_project_for_user(request, project_id)
    determination = selectors.determination(access.project)
    return render(
        request,
        "registers/context.html",
        {
            "project": access.project,
            "determination": determination,
            "counts": selectors.context_counts(access.project),
            "history": history_entries(determination) if determination else [],
            "can_edit": permissions.can_determine_context(access),
            "can_create": permissions.can_create(access),
            "today": timezone.localdate(),
            "sections": SECTIONS,
        },
    )


def context_edit(request, project_id):
    access = get_project_for_user(request, project_id)
    access.require(permissions.can_determine_context(access))
    existing = selectors.determination(access.project)
    form = ContextDeterminationForm(request.POST or None, instance=existing, project=access.project)
    edit = versioned_edit(
        request,
        form,
        lambda data, version: services.determination_save(
            project=access.project, data=data, expected_version=version, user=request.user
        ),
        on_conflict=lambda current: conflict_form(
            ContextDeterminationForm,
            current,
            noun=pgettext("record being edited", "context determination"),
            project=access.project,
        ),
    )
    if edit.saved:
        messages.success(request, "Context determination saved.")
        return redirect("registers:context", project_id=access.project.pk)
    return render(
        request,
        "registers/context_form.html",
        {"project": access.project, "form": edit.form, "sections": SECTIONS},
        status=edit.status,
    )


def overview(request, project_id):
    """One line per register: how many entries and what needs attention."""
    access = get_project_for_user(request, project_id)
    project = access.project
    today = timezone.localdate()
    services_count = Service.objects.filter(project=project).aggregate(
        total=Count("pk", distinct=True), targets=Count("sla_targets", distinct=True)
    )
    month = today.replace(day=1)
    last_month = (month.replace(day=1) - timezone.timedelta(days=1)).replace(day=1)
    misses = SlaActual.objects.filter(target__service__project=project, month=last_month, met=False).count()
    suppliers = Supplier.objects.filter(project=project).aggregate(
        total=Count("pk"),
        expired=Count("pk", filter=Q(contract_expiry__lt=today)),
        expiring=Count(
            "pk",
            filter=Q(contract_expiry__gte=today, contract_expiry__lte=today + timezone.timedelta(days=30)),
        ),
    )
    risks = Risk.objects.filter(project=project).aggregate(
        total=Count("pk"), awaiting=Count("pk", filter=Q(status=RiskStatus.IDENTIFIED))
    )
    objectives = Objective.objects.filter(project=project).aggregate(
        total=Count("pk", distinct=True),
        unmeasured=Count("pk", filter=Q(measurements__isnull=True), distinct=True),
    )
    determination = ContextDetermination.objects.filter(project=project).first()
    return render(
        request,
        "registers/overview.html",
        {
            "project": project,
            "services": services_count,
            "misses": misses,
            "last_month": last_month,
            "suppliers": suppliers,
            "risks": risks,
            "objectives": objectives,
            "determination": determination,
            "counts": selectors.context_counts(project),
            "sections": SECTIONS,
        },
    )
