"""The lead's export of a whole project, and the import of an archive as a new project: the upload
is checked and queued, a worker imports it, the job page shows its progress and then lets the
importer invite the archive's people."""

import re
import tempfile
from urllib.parse import quote

from django.contrib import messages
from django.http import FileResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_POST

from kernel.access import get_project_for_user, hidden_projects, require_project_mfa
from kernel.models import Role
from kernel.queueing import QueueUnavailable

from . import exporter, selectors, services
from .archive import ArchiveRefused
from .forms import ImportForm, InviteForm
from .models import ImportStatus


@require_GET
def export_page(request, project_id):
    access = get_project_for_user(request, project_id, roles=[Role.LEAD])
    return render(request, "transfer/export.html", {"project": access.project})


def archive_filename(name: str, day) -> tuple[str, str]:
    """(ASCII name, full name) of a project's archive: the whole project name, its slashes and other
    characters a file name cannot hold made into dashes ("ISO/IEC 20000-1" → "iso-iec-20000-1")."""
    readable = re.sub(r"[\\/:*?\"<>|\x00-\x1f\x7f]+", "-", name).strip(" .-")[:150] or "project"
    ascii_name = slugify(re.sub(r"[^\w\s-]+", " ", readable))[:150].strip("-") or "project"
    return f"{ascii_name}-{day:%Y-%m-%d}.zip", f"{readable}-{day:%Y-%m-%d}.zip"


def content_disposition(ascii_name: str, full_name: str) -> str:
    """An attachment with both a plain filename and RFC 5987's filename* in UTF-8."""
    return f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(full_name, safe='')}"


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
        messages.error(request, _("The export failed: %(error)s") % {"error": error})
        return redirect("transfer:export", project_id=access.project.pk)
    spool.seek(0)
    ascii_name, full_name = archive_filename(access.project.name, timezone.localdate())
    response = FileResponse(spool, as_attachment=True, filename=ascii_name, content_type="application/zip")
    response["Content-Disposition"] = content_disposition(ascii_name, full_name)
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


def import_page(request):
    """Any signed-in user may import, as any may create a project; they become its lead. The
    request only checks the upload's envelope and queues the import."""
    form = ImportForm(request.POST or None, request.FILES or None)
    jobs = selectors.import_jobs_of(user=request.user, hidden=hidden_projects(request))
    context = {"form": form, "jobs": jobs}
    if request.method != "POST":
        return render(request, "transfer/import.html", context)
    status = 422
    if form.is_valid():
        try:
            job = services.import_job_create(upload=form.cleaned_data["archive"], user=request.user)
        except ArchiveRefused as error:
            form.add_error("archive", _("%(error)s Nothing was imported.") % {"error": error})
        except services.ImportLimited as error:
            form.add_error(None, str(error))
            status = 429
        except QueueUnavailable:
            form.add_error(None, _(services.QUEUE_ERROR))
            status = 503
        else:
            return redirect(job)
    return render(request, "transfer/import.html", context, status=status)


def _job_context(request, job, form=None):
    context = {"job": job}
    if job.status == ImportStatus.DONE and job.project is not None:
        people = list(job.people.select_related("invitation"))
        context["people"] = people
        context["form"] = form or InviteForm(people)
    return context


@require_GET
def import_job(request, job_id):
    job = selectors.import_job_for_user(user=request.user, job_id=job_id)
    require_project_mfa(request, job.project)  # the job page names the imported project
    return render(request, "transfer/import_job.html", _job_context(request, job))


@require_GET
def import_job_progress(request, job_id):
    """The progress fragment the job page polls; once the job has ended the page reloads whole."""
    job = selectors.import_job_for_user(user=request.user, job_id=job_id)
    require_project_mfa(request, job.project)
    response = render(request, "transfer/partials/import_progress.html", {"job": job})
    if request.htmx and not job.is_active and request.GET.get("was") == "active":
        response["HX-Refresh"] = "true"
    return response


@require_POST
def import_people(request, job_id):
    """The importer invites whom they choose of the archive's people; each joins only by accepting.
    The answer is the same whether an address has an account here or not."""
    job = selectors.import_job_for_user(user=request.user, job_id=job_id)
    if job.project is None:
        return redirect(job)
    get_project_for_user(request, job.project_id, roles=[Role.LEAD])
    people = list(job.people.select_related("invitation"))
    form = InviteForm(people, request.POST)
    if not form.is_valid():
        return render(request, "transfer/import_job.html", _job_context(request, job, form), status=422)
    invited, problems = services.import_people_invite(job=job, choices=form.choices(), user=request.user)
    if invited:
        messages.success(
            request,
            ngettext(
                "%(count)d invitation was sent. Each person joins the project only if they accept.",
                "%(count)d invitations were sent. Each person joins the project only if they accept.",
                invited,
            )
            % {"count": invited},
        )
    for problem in problems:
        messages.warning(request, problem)
    return redirect(job)
