"""The register snapshots page (issue 23 §2), in the reports layer (it queues the rendering task):
take a snapshot of a register (the lead and
contributors), see the snapshots made with their document version and its status, download the
Excel file kept beside the PDF, try a failed snapshot again."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from kernel.access import get_project_for_user
from kernel.uploads import attachment_response
from registers.feed_models import RegisterSnapshot, SnapshotRegister
from registers.snapshots import SPECS, may_snapshot, snapshot_request

from .register_snapshots import snapshot_queue_on_commit, snapshot_retry_queue

PER_PAGE = 20


@require_http_methods(["GET", "POST"])
def snapshot_list(request, project_id):
    access = get_project_for_user(request, project_id)
    if request.method == "POST":
        access.require(may_snapshot(access))
        try:
            snapshot = snapshot_request(
                project=access.project, register=request.POST.get("register", ""), user=request.user
            )
        except ValidationError as refused:
            messages.error(request, " ".join(refused.messages))
            return redirect(request.path)
        snapshot_queue_on_commit(snapshot)
        messages.success(
            request, _("Snapshot made: its PDF is a new version in the document register, sent for approval.")
        )
        return redirect(request.path)
    rows = (
        RegisterSnapshot.objects.filter(project=access.project)
        .select_related("requested_by", "document_version__document")
        .order_by("-created_at", "-id")
    )
    page = Paginator(rows, PER_PAGE).get_page(request.GET.get("page"))
    registers = [(value, label, SPECS[value]) for value, label in SnapshotRegister.choices]
    return render(
        request,
        "registers_feed/snapshot_list.html",
        {
            "project": access.project,
            "page": page,
            "registers": registers,
            "may_snapshot": may_snapshot(access),
        },
    )


@require_GET
def snapshot_excel(request, project_id, snapshot_id):
    access = get_project_for_user(request, project_id)
    snapshot = get_object_or_404(RegisterSnapshot, pk=snapshot_id, project=access.project)
    if not snapshot.excel:
        raise Http404("This snapshot has no Excel file.")
    return attachment_response(
        snapshot.excel,
        filename=snapshot.excel.name.rsplit("/", 1)[-1],
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )


@require_POST
def snapshot_retry(request, project_id, snapshot_id):
    access = get_project_for_user(request, project_id)
    access.require(may_snapshot(access))
    snapshot = get_object_or_404(RegisterSnapshot, pk=snapshot_id, project=access.project)
    try:
        snapshot_retry_queue(snapshot=snapshot, user=request.user)
    except ValidationError as refused:
        messages.error(request, " ".join(refused.messages))
        return redirect("reports:snapshot_list", project_id=access.project.pk)
    messages.success(request, _("Snapshot queued again: it is being made."))
    return redirect("reports:snapshot_list", project_id=access.project.pk)
