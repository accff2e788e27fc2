"""Reports of a project: ask for one, watch it (HTMX polling), download it, retry a failure;
the monthly schedule (lead only) and the Excel exports. Every member may ask for and read reports."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from kernel import pagecache
from kernel.access import get_project_for_user
from kernel.extensions import export_spec, exports
from kernel.formtools import add_validation_error, flag_conflict, versioned_edit
from kernel.spreadsheets import Sheet, workbook_bytes
from kernel.uploads import attachment_response
from reports.models import Report, ReportStatus

from .forms import ReportRequestForm, ScheduleForm
from .schedules import schedule_for, schedule_update
from .services import QUEUE_ERROR, ReportRateLimited, report_request, report_retry

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _row(request, access, report, *, status=200):
    return render(
        request,
        "reports/partials/report_row.html",
        {"report": report, "project": access.project},
        status=status,
    )


def _list_context(access, form=None, show_all=""):
    reports = Report.objects.filter(project=access.project).select_related("requested_by")
    return {
        "project": access.project,
        "form": form,
        # The empty picker, built and rendered inside a cached part of the template (its choices
        # are every assessment, audit and review): on a hit, none of its queries runs.
        "blank_form": pagecache.lazy(lambda: [ReportRequestForm(project=access.project, show_all=show_all)]),
        "show_all": show_all,
        "exports": exports(),
        "schedule": schedule_for(access.project),
        "can_edit_schedule": access.is_lead,
        "reports": reports,
    }


@require_GET
def report_list(request, project_id):
    access = get_project_for_user(request, project_id)
    context = _list_context(access, show_all=request.GET.get("all", "")[:40])
    context["page"] = Paginator(context.pop("reports"), 25).get_page(request.GET.get("page"))
    return render(request, "reports/report_list.html", context)


@require_POST
def report_create(request, project_id):
    access = get_project_for_user(request, project_id)
    form = ReportRequestForm(request.POST, project=access.project)
    if form.is_valid():
        try:
            report = report_request(
                project=access.project,
                kind=form.cleaned_data["kind"],
                subject_id=form.cleaned_data.get("subject_id"),
                user=request.user,
            )
        except ValidationError as error:
            add_validation_error(form, error)
        except ReportRateLimited as error:
            if request.htmx:
                return HttpResponse(str(error), status=429, content_type="text/plain; charset=utf-8")
            messages.error(request, str(error))
            context = _list_context(access, form)
            context["page"] = Paginator(context.pop("reports"), 25).get_page(1)
            return render(request, "reports/report_list.html", context, status=429)
        else:
            report.refresh_from_db()  # the enqueue ran on commit; it may have failed
            if report.status == ReportStatus.FAILED and report.error == QUEUE_ERROR:
                if request.htmx:
                    return _row(request, access, report, status=503)
                messages.error(request, _(QUEUE_ERROR))
                context = _list_context(access, form)
                context["page"] = Paginator(context.pop("reports"), 25).get_page(1)
                return render(request, "reports/report_list.html", context, status=503)
            if request.htmx:
                return _row(request, access, report, status=201)
            if report.status == ReportStatus.DONE:  # rendered at once (no broker: the embedded default)
                messages.success(request, _("%(report)s is ready.") % {"report": report})
            else:
                messages.success(
                    request, _("%(report)s queued: this page shows its progress.") % {"report": report}
                )
            return redirect("reports:list", project_id=access.project.pk)
    context = _list_context(access, form)
    context["page"] = Paginator(context.pop("reports"), 25).get_page(1)
    return render(request, "reports/report_list.html", context, status=422)


@require_GET
def report_status(request, project_id, report_id):
    access = get_project_for_user(request, project_id)
    report = get_object_or_404(
        Report.objects.select_related("requested_by"), pk=report_id, project=access.project
    )
    return _row(request, access, report)


@require_POST
def report_retry_view(request, project_id, report_id):
    access = get_project_for_user(request, project_id)
    report = get_object_or_404(Report, pk=report_id, project=access.project)
    try:
        report = report_retry(report=report, user=request.user)
    except ValidationError as error:
        if request.htmx:
            return _row(request, access, report, status=409)
        messages.error(request, " ".join(error.messages))
        return redirect("reports:list", project_id=access.project.pk)
    report.refresh_from_db()
    failed_to_queue = report.status == ReportStatus.FAILED and report.error == QUEUE_ERROR
    if request.htmx:
        return _row(request, access, report, status=503 if failed_to_queue else 200)
    if failed_to_queue:
        messages.error(request, _(QUEUE_ERROR))
    return redirect("reports:list", project_id=access.project.pk)


@require_GET
def report_download(request, project_id, report_id):
    access = get_project_for_user(request, project_id)
    report = get_object_or_404(Report, pk=report_id, project=access.project)
    if report.status != ReportStatus.DONE or not report.file:
        raise Http404("This report has no file yet.")
    return attachment_response(report.file, filename=report.filename, content_type="application/pdf")


@require_http_methods(["GET", "POST"])
def report_schedule(request, project_id):
    access = get_project_for_user(request, project_id)
    access.require(access.is_lead)
    schedule = schedule_for(access.project, create=request.method == "POST")
    form = ScheduleForm(request.POST or None, instance=schedule, initial={"version": schedule.version})
    edit = versioned_edit(
        request,
        form,
        lambda data, version: schedule_update(
            schedule=schedule,
            user=request.user,
            expected_version=version,
            day_of_month=data["day_of_month"],
            enabled=data["enabled"],
        ),
        on_conflict=lambda current: flag_conflict(
            form,
            (
                _("Someone changed the schedule meanwhile: it is now day %(day)s, on. Reload to edit it.")
                if current.enabled
                else _(
                    "Someone changed the schedule meanwhile: it is now day %(day)s, off. Reload to edit it."
                )
            )
            % {"day": current.day_of_month},
        ),
    )
    if edit.saved:
        messages.success(request, _("Monthly report schedule saved."))
        return redirect("reports:list", project_id=access.project.pk)
    form, status = edit.form, edit.status
    return render(
        request,
        "reports/schedule_form.html",
        {"project": access.project, "form": form, "schedule": schedule},
        status=status,
    )


@require_GET
def export_download(request, project_id, key):
    access = get_project_for_user(request, project_id)
    spec = export_spec(key)
    if spec is None:
        raise Http404("No such export.")
    headers, rows = spec.build(access.project)
    response = HttpResponse(workbook_bytes(Sheet(spec.label, headers, rows)), content_type=XLSX)
    stamp = timezone.localdate().isoformat()
    response["Content-Disposition"] = (
        f'attachment; filename="{slugify(access.project.name)[:60]}-{spec.key}-{stamp}.xlsx"'
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
