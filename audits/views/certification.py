"""The certification pages: Stage 1 areas of concern, the certification settings, a transfer to
another body, the body's acceptance of a minor's plan and the cycle coverage of the body's audits."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django.views.decorators.http import require_POST

from kernel.access import get_project_for_user
from kernel.formtools import add_validation_error, versioned_edit

from .. import certification, concerns, selectors
from ..certification_forms import (
    CertificationSettingsForm,
    ConcernAcceptForm,
    ConcernCloseForm,
    ConcernForm,
    PlanAcceptForm,
    TransferForm,
)
from ..certification_models import AreaOfConcern
from ..models import Audit, AuditType, Finding
from ..permissions import can_record_findings
from .common import form_page

CONCERNS_PER_PAGE = 25


def concern_list(request, project_id):
    access = get_project_for_user(request, project_id)
    page = Paginator(concerns.concern_list(access.project), CONCERNS_PER_PAGE).get_page(
        request.GET.get("page")
    )
    return render(request, "audits/concern_list.html", {"project": access.project, "page": page})


def _concern(access, concern_id):
    return get_object_or_404(
        AreaOfConcern.objects.select_related("audit", "owner", "resolved_by"),
        pk=concern_id,
        project=access.project,
    )


def _can_close(access, concern) -> bool:
    return access.is_lead or concern.owner_id == access.user.pk


def concern_detail(request, project_id, concern_id):
    access = get_project_for_user(request, project_id)
    concern = _concern(access, concern_id)
    return render(
        request,
        "audits/concern_detail.html",
        {
            "project": access.project,
            "concern": concern,
            "can_close": concern.is_open and _can_close(access, concern),
            "can_accept": concern.is_open and access.is_lead,
            "close_form": ConcernCloseForm(initial={"version": concern.version}),
            "accept_form": ConcernAcceptForm(initial={"version": concern.version}),
        },
    )


def concern_create(request, project_id, audit_id):
    access = get_project_for_user(request, project_id)
    audit = get_object_or_404(Audit.objects.prefetch_related("team"), pk=audit_id, project=access.project)
    access.require(can_record_findings(access, audit))
    form = ConcernForm(request.POST or None, project=access.project)
    status = 200
    if request.method == "POST":
        status = 422
        if form.is_valid():
            try:
                concern = concerns.concern_create(audit=audit, user=request.user, **form.cleaned_data)
            except ValidationError as error:
                add_validation_error(form, error)
            else:
                messages.success(
                    request, _("Area of concern %(reference)s recorded.") % {"reference": concern.reference}
                )
                return redirect(concern)
    return form_page(
        request,
        access,
        title=_("Area of concern from “%(audit)s”") % {"audit": audit},
        intro=_(
            "What the Stage 1 auditor said could become a nonconformity at Stage 2. It is tracked "
            "until closed with evidence or accepted by the lead; Stage 2 readiness waits for it."
        ),
        form=form,
        cancel_url=audit.get_absolute_url(),
        submit=pgettext("button", "Record"),
        status=status,
    )


def _resolve(request, project_id, concern_id, *, form_class, service, allowed, title, field):
    access = get_project_for_user(request, project_id)
    concern = _concern(access, concern_id)
    access.require(allowed(access, concern))
    form = form_class(request.POST)
    # versioned_edit answers a stale version with 409 (someone else changed the concern meanwhile).
    edit = versioned_edit(
        request,
        form,
        lambda data, version: service(
            concern=concern, user=request.user, expected_version=version, **{field: data[field]}
        ),
    )
    if edit.saved:
        messages.success(request, _("%(reference)s updated.") % {"reference": concern.reference})
        return redirect(concern.get_absolute_url())
    return form_page(
        request,
        access,
        title=title,
        form=edit.form,
        cancel_url=concern.get_absolute_url(),
        submit=_("Save"),
        status=edit.status,
    )


@require_POST
def concern_close(request, project_id, concern_id):
    return _resolve(
        request,
        project_id,
        concern_id,
        form_class=ConcernCloseForm,
        service=concerns.concern_close,
        allowed=_can_close,
        title=_("Close the area of concern"),
        field="closure_evidence",
    )


@require_POST
def concern_accept(request, project_id, concern_id):
    return _resolve(
        request,
        project_id,
        concern_id,
        form_class=ConcernAcceptForm,
        service=concerns.concern_accept,
        allowed=lambda access, concern: access.is_lead,
        title=_("Accept the area of concern"),
        field="acceptance_reason",
    )


def certification_settings(request, project_id):
    access = get_project_for_user(request, project_id)
    access.require(access.is_lead)
    prog = selectors.programme_for(access.project)
    initial = {
        "major_nc_warn_months": prog.major_nc_warn_months,
        "major_nc_limit_months": prog.major_nc_limit_months,
        "recertification_lead_months": prog.recertification_lead_months,
        "version": prog.version,
    }
    form = CertificationSettingsForm(request.POST or None, initial=initial)
    # versioned_edit answers a stale version with 409 (the lead changed the settings elsewhere).
    edit = versioned_edit(
        request,
        form,
        lambda data, version: certification.certification_settings_update(
            project=access.project, user=request.user, expected_version=version, **data
        ),
    )
    if edit.saved:
        messages.success(request, _("Certification settings saved."))
        return redirect("audits:programme", access.project.pk)
    return form_page(
        request,
        access,
        title=_("Certification settings"),
        intro=_("Certification bodies differ: set these to your body's rules (docs/certification.md)."),
        form=edit.form,
        cancel_url=reverse("audits:programme", args=[access.project.pk]),
        status=edit.status,
    )


def certificate_transfer(request, project_id):
    access = get_project_for_user(request, project_id)
    access.require(access.is_lead)
    form = TransferForm(request.POST or None)
    status = 200
    if request.method == "POST":
        status = 422
        if form.is_valid():
            try:
                certification.certificate_transfer_record(
                    project=access.project, user=request.user, **form.cleaned_data
                )
            except ValidationError as error:
                add_validation_error(form, error)
            else:
                messages.success(
                    request, _("Transfer recorded; the certificate keeps its cycle and expiry date.")
                )
                return redirect("audits:programme", access.project.pk)
    return form_page(
        request,
        access,
        title=_("Transfer the certificate to another body"),
        intro=_(
            "The new body reviews the certificate before it takes it over (IAF MD 2). The cycle, the "
            "surveillance dates and the expiry carry over unchanged."
        ),
        form=form,
        cancel_url=reverse("audits:programme", args=[access.project.pk]),
        submit=_("Record the transfer"),
        status=status,
    )


def finding_plan_accept(request, project_id, finding_id):
    access = get_project_for_user(request, project_id)
    access.require(access.is_lead)
    finding = get_object_or_404(
        Finding.objects.select_related("audit"), pk=finding_id, project=access.project
    )
    form = PlanAcceptForm(request.POST or None)
    status = 200
    if request.method == "POST":
        status = 422
        if form.is_valid():
            try:
                certification.minor_plan_accept(
                    finding=finding, user=request.user, note=form.cleaned_data["note"]
                )
            except ValidationError as error:
                add_validation_error(form, error)
            else:
                messages.success(request, _("The certification body's acceptance is recorded."))
                return redirect(finding)
    return form_page(
        request,
        access,
        title=_("Correction and plan accepted by the certification body"),
        form=form,
        cancel_url=finding.get_absolute_url(),
        submit=pgettext("button", "Record"),
        status=status,
        extra={"finding": finding},
    )


def certification_coverage(request, project_id):
    access = get_project_for_user(request, project_id)
    prog = selectors.programme_for(access.project)
    audits, rows = certification.cycle_coverage(access.project, prog)
    covered = sum(row.covered for row in rows)
    return render(
        request,
        "audits/certification_coverage.html",
        {
            "project": access.project,
            "programme": prog,
            "audits": audits,
            "rows": rows,
            "covered": covered,
            "total": len(rows),
            "surveillance_types": (AuditType.SURVEILLANCE1, AuditType.SURVEILLANCE2),
        },
    )
