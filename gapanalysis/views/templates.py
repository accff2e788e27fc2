"""Checklist templates: the library, import (validated as a whole) and export, for leads."""

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from kernel.access import get_project_for_user

from .. import selectors
from ..checklist_io import FORMATS, ImportFailed, export_template, import_template
from ..forms import TemplateImportForm
from ..models import ChecklistTemplate
from ..permissions import can_manage_assessments

CONTENT_TYPES = {
    "json": "application/json",
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


@require_GET
def template_list(request, project_id):
    access = get_project_for_user(request, project_id)
    return render(
        request,
        "gapanalysis/template_list.html",
        {
            "project": access.project,
            "templates": selectors.template_list(project=access.project),
            "formats": FORMATS,
            "can_manage": can_manage_assessments(access),
        },
    )


def template_import(request, project_id):
    access = get_project_for_user(request, project_id)
    access.require(can_manage_assessments(access))
    form = TemplateImportForm(request.POST or None, request.FILES or None)
    errors = []
    if request.method == "POST":
        if form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                template = import_template(
                    upload.read(), filename=upload.name, user=request.user, project=access.project
                )
            except ImportFailed as failed:
                errors = failed.errors
            else:
                messages.success(
                    request,
                    _(
                        "Imported %(template)s for this project. New assessments here can use "
                        "it; running ones keep"
                        " theirs. Other projects do not see it."
                    )
                    % {"template": template},
                )
                return redirect("gapanalysis:templates", access.project.pk)
        return render(
            request,
            "gapanalysis/template_import.html",
            {"project": access.project, "form": form, "errors": errors},
            status=422,
        )
    return render(request, "gapanalysis/template_import.html", {"project": access.project, "form": form})


@require_GET
def template_export(request, project_id, template_id):
    access = get_project_for_user(request, project_id)
    access.require(can_manage_assessments(access))
    template = get_object_or_404(ChecklistTemplate.objects.visible_in(access.project), pk=template_id)
    fmt = request.GET.get("format", "json")
    if fmt not in FORMATS:
        return HttpResponse(f"Unknown format; use one of {', '.join(FORMATS)}.", status=400)
    response = HttpResponse(export_template(template, fmt), content_type=CONTENT_TYPES[fmt])
    response["Content-Disposition"] = f'attachment; filename="{template.slug}-v{template.version}.{fmt}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response
