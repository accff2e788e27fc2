"""Export (Excel and CSV, the list's filters applied) and import of a register."""

from django import forms
from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from kernel.access import get_project_for_user
from kernel.spreadsheets import Sheet, csv_bytes, workbook_bytes
from projects.forms import HelperMixin

from .. import exports, imports, permissions
from ..forms import FilterForm
from ..kinds import KINDS, SECTIONS
from .entries import list_url

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class ImportForm(HelperMixin, forms.Form):
    file = forms.FileField(
        help_text="An Excel (.xlsx) or CSV (.csv) file with the export's columns, at most 5 MB."
    )


ACTUAL_COLUMNS = ["Service", "Measure", "Month", "Value", "Note"]


def _back(kind, project) -> str:
    return (
        reverse("registers:service_list", args=[project.pk])
        if kind.key == "actuals"
        else list_url(kind, project)
    )


def _download(content: bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


def entry_export(request, project_id, kind, fmt):
    kind = KINDS[kind]
    access = get_project_for_user(request, project_id)
    if kind.key == "actuals":  # every month of every target of the project
        name = f"sla-actuals-{access.project.pk}-{timezone.localdate():%Y-%m-%d}.{fmt}"
        headers, values = exports.actuals_export(access.project)
        if fmt == "csv":
            body = csv_bytes(headers=headers, rows=[dict(zip(headers, row, strict=True)) for row in values])
            return _download(body, "text/csv; charset=utf-8", name)
        return _download(workbook_bytes(Sheet("SLA actuals", headers, values)), XLSX, name)
    form = FilterForm(
        request.GET or None,
        project=access.project,
        choices=[(s.field, s.label, s.choices) for s in kind.filters],
    )
    rows = exports.register_rows(kind, access.project, form.filters() if form.is_bound else {})
    name = f"{kind.key}-{access.project.pk}-{timezone.localdate():%Y-%m-%d}.{fmt}"
    if fmt == "csv":
        return _download(exports.csv(kind, access.project, rows), "text/csv; charset=utf-8", name)
    return _download(exports.xlsx(kind, access.project, rows), XLSX, name)


def entry_import(request, project_id, kind):
    kind = KINDS[kind]
    access = get_project_for_user(request, project_id)
    access.require(permissions.can_import(access))
    form = ImportForm(request.POST or None, request.FILES or None)
    errors, status = [], 200
    if request.method == "POST":
        if form.is_valid():
            upload = form.cleaned_data["file"]
            if upload.size > imports.MAX_BYTES:
                errors = [f"The file is larger than {imports.MAX_BYTES // 1048576} MB."]
            else:
                run = imports.import_actuals if kind.key == "actuals" else imports.import_entries
                extra = {} if kind.key == "actuals" else {"kind": kind}
                result = run(
                    project=access.project,
                    content=upload.read(),
                    filename=upload.name,
                    user=request.user,
                    **extra,
                )
                errors = result.errors
                if not errors:
                    messages.success(
                        request, f"{result.created} entr{'y' if result.created == 1 else 'ies'} imported."
                    )
                    return redirect(_back(kind, access.project))
        status = 422
    return render(
        request,
        "registers/import.html",
        {
            "project": access.project,
            "kind": kind,
            "form": form,
            "errors": errors,
            "columns": ACTUAL_COLUMNS if kind.key == "actuals" else [c.header for c in kind.import_columns()],
            "back_url": _back(kind, access.project),
            "sections": SECTIONS,
        },
        status=status,
    )
