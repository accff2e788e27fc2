"""Pages of the operating evidence: the processes with their months of evidence, one process with
its entries, and the forms to record, edit and delete evidence."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from kernel.access import get_project_for_user
from kernel.extensions import process_panels
from kernel.formtools import add_validation_error, conflict_form, versioned_edit
from kernel.uploads import attachment_response
from projects.models import Role

from ..models import EvidenceEntry, OperatingProcess
from ..permissions import can_change_entry, can_record_evidence
from . import selectors, services
from .forms import AcceptEntryForm, EntryForm, ProcessForm
from .processes import Process, process_by_slug

ENTRIES_PER_PAGE = 20


def _process(slug: str) -> Process:
    try:
        return process_by_slug()[slug]
    except KeyError as error:
        raise Http404(_("No such process.")) from error


def _process_url(project, process: Process) -> str:
    return reverse("documents:operation_process", args=[project.pk, process.slug])


def _entry(project, process: Process, entry_id) -> EvidenceEntry:
    return get_object_or_404(
        EvidenceEntry.objects.select_related("process", "document_version"),
        pk=entry_id,
        project=project,
        process__clause=process.clause,
    )


def _kind(data) -> dict:
    """The kind of record and the statement fields, when the form has them."""
    return {
        "record_code": data.get("record_code") or "",
        "none_occurred": bool(data.get("none_occurred")),
        "period_start": data.get("period_start"),
    }


def operation(request, project_id):
    """Every process with its months of evidence against the project's minimum."""
    access = get_project_for_user(request, project_id)
    statuses = selectors.process_statuses(access.project)
    first = selectors.process_statuses(access.project, stage=1)
    return render(
        request,
        "documents/operation/process_list.html",
        {
            "project": access.project,
            "statuses": statuses,
            "stage1": {s.process.clause: s for s in first},
            "headline": selectors.headline(statuses),
            "headline_stage1": selectors.headline(first),
            "can_record": can_record_evidence(access),
        },
    )


def process_detail(request, project_id, process_slug):
    access = get_project_for_user(request, project_id)
    project = access.project
    process = _process(process_slug)
    status = next(s for s in selectors.process_statuses(project) if s.process == process)
    page = Paginator(selectors.process_entries(project, process), ENTRIES_PER_PAGE).get_page(
        request.GET.get("page")
    )
    can_record = can_record_evidence(access)
    row = selectors.operating_process(project, process)
    for entry in page:
        entry.process = row  # the flag reads the process's start date: one row for the page
        entry.flag = selectors.entry_flag(entry)
    # panels other apps add (e.g. the figures drawn from tickets, connectors/evidence)
    panels = [
        (panel.template, context)
        for panel in process_panels()
        if (context := panel.build(project, process.clause)) is not None
    ]
    return render(
        request,
        "documents/operation/process_detail.html",
        {
            "project": project,
            "process": process,
            "status": status,
            "row": row,
            "page": page,
            "can_accept": access.is_lead,
            "can_record": can_record,
            "editable": {entry.pk for entry in page if can_change_entry(access, entry)},
            "panels": panels,
        },
    )


def process_edit(request, project_id, process_slug):
    access = get_project_for_user(request, project_id)
    access.require(can_record_evidence(access))
    project = access.project
    process = _process(process_slug)
    row = selectors.operating_process(project, process) or OperatingProcess(
        project=project, clause=process.clause
    )
    form = ProcessForm(request.POST or None, instance=row)
    edit = versioned_edit(
        request,
        form,
        lambda data, version: services.process_update(
            project=project, process=process, user=request.user, expected_version=version, **data
        ),
        on_conflict=lambda current: conflict_form(ProcessForm, current, noun="process"),
    )
    if edit.saved:
        messages.success(request, _("%(title)s: start of operation saved.") % {"title": process.title})
        return redirect(_process_url(project, process))
    return render(
        request,
        "documents/operation/process_form.html",
        {"project": project, "process": process, "form": edit.form},
        status=edit.status,
    )


def entry_create(request, project_id, process_slug):
    access = get_project_for_user(request, project_id)
    access.require(can_record_evidence(access))
    project = access.project
    process = _process(process_slug)
    form = EntryForm(
        request.POST or None,
        request.FILES or None,
        project=project,
        process=process,
        initial={"on": timezone.localdate()},
    )
    context = {"project": project, "process": process, "form": form}
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.entry_create(
                    project=project,
                    process=process,
                    user=request.user,
                    on=data["on"],
                    summary=data["summary"],
                    document_version=data["document_version"],
                    upload=data["file"],
                    link=data["link"],
                    **_kind(data),
                )
            except ValidationError as error:
                add_validation_error(form, error)
            else:
                messages.success(request, _("%(title)s: evidence recorded.") % {"title": process.title})
                return redirect(_process_url(project, process))
        return render(request, "documents/operation/entry_form.html", context, status=422)
    return render(request, "documents/operation/entry_form.html", context)


def entry_edit(request, project_id, process_slug, entry_id):
    access = get_project_for_user(request, project_id)
    project = access.project
    process = _process(process_slug)
    entry = _entry(project, process, entry_id)
    access.require(can_change_entry(access, entry))
    form = EntryForm(
        request.POST or None, request.FILES or None, instance=entry, project=project, process=process
    )
    edit = versioned_edit(
        request,
        form,
        lambda data, version: services.entry_update(
            entry=entry,
            user=request.user,
            expected_version=version,
            on=data["on"],
            summary=data["summary"],
            document_version=data["document_version"],
            upload=data["file"],
            link=data["link"],
            **_kind(data),
        ),
        on_conflict=lambda current: conflict_form(
            EntryForm, current, noun="evidence entry", project=project, process=process
        ),
    )
    if edit.saved:
        messages.success(request, _("Evidence entry saved."))
        return redirect(_process_url(project, process))
    return render(
        request,
        "documents/operation/entry_form.html",
        {"project": project, "process": process, "form": edit.form, "entry": entry},
        status=edit.status,
    )


def entry_delete(request, project_id, process_slug, entry_id):
    access = get_project_for_user(request, project_id)
    project = access.project
    process = _process(process_slug)
    entry = _entry(project, process, entry_id)
    access.require(can_change_entry(access, entry))
    context = {
        "project": project,
        "title": _("Delete the evidence of %(on)s?") % {"on": format(entry.on, "%-d %b %Y")},
        "body": _("“%(summary)s” is removed from %(label)s")
        % {"summary": entry.summary, "label": process.label}
        + (_(" with its file.") if entry.file else ".")
        + _(" This cannot be undone."),
        "confirm_label": _("Delete evidence"),
        "cancel_url": _process_url(project, process),
    }
    if request.method == "POST":
        services.entry_delete(entry=entry, user=request.user)
        messages.success(request, _("Evidence entry deleted."))
        return redirect(_process_url(project, process))
    return render(request, "confirm_delete.html", context)


def entry_download(request, project_id, process_slug, entry_id):
    """Every member opens the evidence; a file is served as an attachment, never inline."""
    access = get_project_for_user(request, project_id)
    entry = _entry(access.project, _process(process_slug), entry_id)
    if entry.document_version_id:
        version = entry.document_version
        return redirect("documents:version_download", access.project.pk, version.document_id, version.pk)
    if not entry.file:
        return HttpResponseRedirect(entry.link)
    try:
        return attachment_response(
            entry.file, filename=entry.original_name or "evidence", content_type=entry.content_type
        )
    except FileNotFoundError as error:
        raise Http404(_("The file of this entry is no longer in storage.")) from error


def entry_accept(request, project_id, process_slug, entry_id):
    """The lead lets a flagged (backdated) entry count, with a recorded reason."""
    access = get_project_for_user(request, project_id, roles=[Role.LEAD])
    project = access.project
    process = _process(process_slug)
    entry = _entry(project, process, entry_id)
    form = AcceptEntryForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.entry_accept(entry=entry, user=request.user, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            add_validation_error(form, error)
        else:
            messages.success(request, _("The entry now counts; the reason is on record."))
            return redirect(_process_url(project, process))
    status = 422 if request.method == "POST" else 200
    return render(
        request,
        "documents/operation/entry_accept.html",
        {
            "project": project,
            "process": process,
            "entry": entry,
            "flag": selectors.entry_flag(entry),
            "form": form,
        },
        status=status,
    )
