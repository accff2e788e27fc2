"""Connector pages. Every member reads them (state, last error, runs, tickets); only the lead adds,
edits, tests, syncs, imports or removes a connector. Credentials are never rendered."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import pgettext
from django.views.decorators.http import require_POST

from kernel.access import get_project_for_user
from kernel.formtools import add_validation_error, conflict_form, versioned_edit
from kernel.outages import QUEUE_MESSAGE
from kernel.queueing import QueueUnavailable

from . import exports, fileimport, selectors, services
from .forms import ConnectorForm, MappingForm, UploadForm
from .models import ConnectorKind


def _lead(request, project_id):
    access = get_project_for_user(request, project_id)
    access.require(access.is_lead)
    return access


def connector_list(request, project_id):
    access = get_project_for_user(request, project_id)
    connectors = selectors.connector_list(project=access.project)
    return render(request, "connectors/list.html", {"project": access.project, "connectors": connectors})


def connector_create(request, project_id):
    access = _lead(request, project_id)
    form = ConnectorForm(request.POST or None)
    status = 200
    if request.method == "POST":
        status = 422
        if form.is_valid():
            try:
                connector = services.connector_create(
                    project=access.project, user=request.user, **form.cleaned_data
                )
            except ValidationError as error:
                add_validation_error(form, error)
            else:
                messages.success(request, "Connector added. Test the connection, then sync.")
                return redirect(connector)
    return render(request, "connectors/form.html", {"project": access.project, "form": form}, status=status)


def connector_edit(request, project_id, connector_id):
    access = _lead(request, project_id)
    connector = selectors.connector_get(project=access.project, connector_id=connector_id)
    form = ConnectorForm(request.POST or None, instance=connector)
    edit = versioned_edit(
        request,
        form,
        lambda data, version: services.connector_update(
            connector_id=connector.pk, expected_version=version, user=request.user, **data
        ),
        on_conflict=lambda current: conflict_form(
            ConnectorForm, current, noun=pgettext("record being edited", "connector")
        ),
    )
    if edit.saved:
        messages.success(request, "Connector saved.")
        return redirect(connector)
    return render(
        request,
        "connectors/form.html",
        {"project": access.project, "form": edit.form, "connector": connector},
        status=edit.status,
    )


def connector_detail(request, project_id, connector_id):
    access = get_project_for_user(request, project_id)
    connector = selectors.connector_get(project=access.project, connector_id=connector_id)
    tickets = Paginator(selectors.connector_tickets(connector=connector), 50).get_page(
        request.GET.get("page")
    )
    runs = selectors.connector_runs(connector=connector)[:10]
    return render(
        request,
        "connectors/detail.html",
        {
            "project": access.project,
            "connector": connector,
            "page": tickets,
            "runs": runs,
            "access": access,
            "running": connector.is_syncing,
        },
    )


def connector_progress(request, project_id, connector_id):
    """The state fragment the page polls while a sync runs; when it ends the page reloads whole."""
    access = get_project_for_user(request, project_id)
    connector = selectors.connector_get(project=access.project, connector_id=connector_id)
    running = connector.is_syncing
    response = render(
        request,
        "connectors/partials/progress.html",
        {"project": access.project, "connector": connector, "running": running},
    )
    if request.htmx and not running and request.GET.get("was") == "running":
        response["HX-Refresh"] = "true"
    return response


def tickets_export(request, project_id, connector_id):
    """The connector's tickets as Excel, through the one writer (formula-like text stays text)."""
    access = get_project_for_user(request, project_id)
    connector = selectors.connector_get(project=access.project, connector_id=connector_id)
    content = exports.tickets_workbook(connector=connector)
    response = HttpResponse(
        content, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = f'attachment; filename="tickets-{connector.pk}.xlsx"'
    return response


def connector_delete(request, project_id, connector_id):
    access = _lead(request, project_id)
    connector = selectors.connector_get(project=access.project, connector_id=connector_id)
    if request.method == "POST":
        services.connector_delete(connector=connector, user=request.user)
        messages.success(request, "Connector removed with its tickets.")
        return redirect("connectors:list", project_id=access.project.pk)
    return render(
        request,
        "confirm_delete.html",
        {
            "project": access.project,
            "title": f"Remove the connector “{connector.name}”?",
            "body": "Its stored credentials, sync history and the tickets it brought in are deleted. "
            "This cannot be undone.",
            "confirm_label": "Remove connector",
            "cancel_url": connector.get_absolute_url(),
        },
    )


@require_POST
def connector_test(request, project_id, connector_id):
    access = _lead(request, project_id)
    connector = selectors.connector_get(project=access.project, connector_id=connector_id)
    ok, message = services.connector_test(connector=connector)
    (messages.success if ok else messages.error)(request, message)
    return redirect(connector)


@require_POST
def connector_sync(request, project_id, connector_id):
    access = _lead(request, project_id)
    connector = selectors.connector_get(project=access.project, connector_id=connector_id)
    try:
        services.sync_request(connector=connector, user=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(connector)
    except QueueUnavailable:
        return render(
            request,
            "connectors/refused.html",
            {"project": access.project, "connector": connector, "message": QUEUE_MESSAGE},
            status=503,
        )
    messages.success(request, "Sync queued: its progress shows below.")
    return redirect(connector)


def import_upload(request, project_id, connector_id):
    access = _lead(request, project_id)
    connector = selectors.connector_get(project=access.project, connector_id=connector_id)
    if connector.kind != ConnectorKind.CSV:
        messages.error(request, "Only a CSV / Excel connector imports files; this one syncs from its tool.")
        return redirect(connector)
    form = UploadForm(request.POST or None, request.FILES or None)
    status = 200
    if request.method == "POST":
        status = 422
        if form.is_valid():
            try:
                token = fileimport.store_upload(form.cleaned_data["file"], connector=connector)
                table = fileimport.read_table(fileimport.stored_name(token, connector=connector))
            except ValidationError as error:
                add_validation_error(form, error)
            else:
                guess = fileimport.guess_mapping(table.header)
                mapping = MappingForm(
                    initial={"token": token, **{f"map_{k}": v for k, v in guess.items()}}, header=table.header
                )
                return _mapping_page(
                    request, access, connector, mapping, table, fileimport.check(table, guess)
                )
    return render(
        request,
        "connectors/import.html",
        {"project": access.project, "connector": connector, "form": form},
        status=status,
    )


@require_POST
def import_map(request, project_id, connector_id):
    access = _lead(request, project_id)
    connector = selectors.connector_get(project=access.project, connector_id=connector_id)
    try:
        name = fileimport.stored_name(request.POST.get("token", ""), connector=connector)
        table = fileimport.read_table(name)
    except ValidationError as error:
        context = {
            "project": access.project,
            "connector": connector,
            "form": UploadForm(),
            "refused": " ".join(error.messages),
        }
        return render(request, "connectors/import.html", context, status=422)
    mapping = MappingForm(request.POST, header=table.header)
    if not mapping.is_valid():
        return _mapping_page(request, access, connector, mapping, table, None, status=422)
    checked = fileimport.check(table, mapping.mapping())
    if request.POST.get("action") == "import" and not checked.errors:
        run = fileimport.import_checked(connector=connector, checked=checked, name=name, user=request.user)
        messages.success(
            request,
            f"Imported {run.fetched} tickets: {run.created} new, {run.updated} changed, "
            f"{run.unchanged} unchanged.",
        )
        return redirect(connector)
    status = 422 if checked.errors else 200
    return _mapping_page(request, access, connector, mapping, table, checked, status=status)


def _mapping_page(request, access, connector, mapping, table, checked, status=200):
    return render(
        request,
        "connectors/import_map.html",
        {
            "project": access.project,
            "connector": connector,
            "mapping": mapping,
            "table": table,
            "checked": checked,
            "rows": len(table.rows),
            "errors": (checked.errors[:200] if checked else []),
            "more_errors": max(0, len(checked.errors) - 200) if checked else 0,
        },
        status=status,
    )
