"""The lead's export of a whole project and the import of an archive as a new project."""

import tempfile

from django.contrib import messages
from django.http import FileResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET

from sms_tracker.core.access import get_project_for_user
from sms_tracker.core.models import Role
from sms_tracker.core.uploads import safe_filename

from . import exporter, importer
from .archive import ArchiveRefused
from .forms import ImportForm


@require_GET
def export_page(request, project_id):
    access = get_project_for_user(request, project_id, roles=[Role.LEAD])
    return render(request, "transfer/export.html", {"project": access.project})


@require_GET
def export_download(request, project_id):
    """The archive, written to an anonymous temporary file (files are copied in chunks, so memory
    stays bounded) and streamed from there; the file disappears when the response is closed."""
    access = get_project_for_user(request, project_id, roles=[Role.LEAD])
    spool = tempfile.TemporaryFile()
    try:
        exporter.write(access.project, spool)
    except exporter.ExportFailed as error:
        spool.close()
        messages.error(request, f"The export failed: {error}")
        return redirect("transfer:export", project_id=access.project.pk)
    spool.seek(0)
    name = safe_filename(f"{access.project.name}-{timezone.localdate():%Y-%m-%d}.zip")
    response = FileResponse(spool, as_attachment=True, filename=name, content_type="application/zip")
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


def import_page(request):
    """Any signed-in user may import, as any may create a project; they become its lead."""
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST":
        if form.is_valid():
            try:
                result = importer.import_archive(form.cleaned_data["archive"], lead=request.user)
            except ArchiveRefused as error:
                form.add_error("archive", str(error))
            else:
                note = (
                    f" {len(result.placeholders)} people of the archive have no account here: they were "
                    "added as inactive accounts, which an administrator can activate."
                    if result.placeholders
                    else ""
                )
                messages.success(
                    request, f"Project “{result.project.name}” imported; you are its lead.{note}"
                )
                return redirect(result.project)
        return render(request, "transfer/import.html", {"form": form}, status=422)
    return render(request, "transfer/import.html", {"form": form})
