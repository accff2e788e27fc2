"""Nonconformities from any source (10.1) and the auditors' competence records (7.2)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from kernel.access import get_project_for_user
from kernel.formtools import add_validation_error
from projects.models import Role

from .. import competence, services
from ..forms import CompetenceForm, NonconformityForm
from ..models import AuditorCompetence
from .common import form_page

# Anyone who meets a nonconformity in daily work may record it; viewers read.
NC_RAISERS = (Role.LEAD, Role.CONTRIBUTOR, Role.AUDITOR)


def nonconformity_create(request, project_id):
    access = get_project_for_user(request, project_id, roles=NC_RAISERS)
    project = access.project
    form = NonconformityForm(request.POST or None, project=project)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                finding = services.nonconformity_create(
                    project=project, user=request.user, **form.cleaned_data
                )
            except ValidationError as error:
                add_validation_error(form, error)
            else:
                messages.success(
                    request, _("Nonconformity %(reference)s recorded.") % {"reference": finding.reference}
                )
                return redirect(finding)
        status = 422
    return form_page(
        request,
        access,
        title=_("Record a nonconformity"),
        form=form,
        cancel_url=reverse("audits:finding_list", args=[project.pk]),
        submit=pgettext("button", "Record"),
        intro=_(
            "Audits are one source among several: a complaint, a missed service level, an incident, a "
            "process that failed, customer feedback or a review can each show a requirement "
            "not met. Record it "
            "here; it then follows the same path as an audit finding (correction, root cause, actions, "
            "verification)."
        ),
        status=status,
    )


def competence_list(request, project_id):
    access = get_project_for_user(request, project_id)
    records = competence.auditor_records(access.project)
    return render(
        request,
        "audits/competence_list.html",
        {
            "project": access.project,
            "records": records,
            "has_lines": any(record.lines for record in records),
            "can_edit": access.is_lead,
        },
    )


def competence_create(request, project_id):
    access = get_project_for_user(request, project_id, roles=[Role.LEAD])
    project = access.project
    form = CompetenceForm(request.POST or None, project=project)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                competence.competence_create(project=project, user=request.user, **form.cleaned_data)
            except ValidationError as error:
                add_validation_error(form, error)
            else:
                messages.success(request, _("Competence record added."))
                return redirect("audits:competence_list", project.pk)
        status = 422
    return form_page(
        request,
        access,
        title=_("Add to an auditor's competence record"),
        form=form,
        cancel_url=reverse("audits:competence_list", args=[project.pk]),
        submit=_("Add"),
        status=status,
    )


def competence_delete(request, project_id, line_id):
    access = get_project_for_user(request, project_id, roles=[Role.LEAD])
    line = get_object_or_404(
        AuditorCompetence.objects.select_related("person"), pk=line_id, project=access.project
    )
    back = reverse("audits:competence_list", args=[access.project.pk])
    if request.method == "POST":
        competence.competence_delete(line=line, user=request.user)
        messages.success(request, _("Competence record removed."))
        return redirect(back)
    return render(
        request,
        "confirm_delete.html",
        {
            "project": access.project,
            "title": _("Remove “%(title)s” from %(username)s's record?")
            % {"title": line.title, "username": line.person.username},
            "body": "The line is removed from the competence record. This cannot be undone.",
            "confirm_label": "Remove",
            "cancel_url": back,
        },
    )
