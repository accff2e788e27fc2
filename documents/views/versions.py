from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kernel.access import get_project_for_user
from kernel.formtools import add_validation_error
from kernel.uploads import attachment_response

from .. import services
from ..forms import ApproveForm, ReturnForm, VersionForm
from ..models import DocumentVersion
from ..permissions import can_decide_version, can_edit_document
from .documents import detail_response, get_document


def _version(document, version_id) -> DocumentVersion:
    return get_object_or_404(
        DocumentVersion.objects.select_related("author"), pk=version_id, document=document
    )


def version_create(request, project_id, document_id):
    access = get_project_for_user(request, project_id)
    document = get_document(access, document_id)
    access.require(can_edit_document(access, document))
    form = VersionForm(request.POST or None, request.FILES or None)
    context = {"project": access.project, "document": document, "form": form}
    if request.method == "POST":
        if form.is_valid():
            try:
                version = services.version_create(
                    document=document,
                    user=request.user,
                    upload=form.cleaned_data["file"],
                    link=form.cleaned_data["link"],
                    change_summary=form.cleaned_data["change_summary"],
                )
            except ValidationError as error:
                add_validation_error(form, error)
            else:
                messages.success(
                    request,
                    _("Version %(number)s saved as a draft. Ask for review when ready.")
                    % {"number": version.number},
                )
                return redirect(document)
        return render(request, "documents/version_form.html", context, status=422)
    return render(request, "documents/version_form.html", context)


@require_POST
def version_submit(request, project_id, document_id, version_id):
    access = get_project_for_user(request, project_id)
    document = get_document(access, document_id)
    access.require(can_edit_document(access, document))
    version = _version(document, version_id)
    try:
        services.version_submit(version=version, user=request.user)
    except ValidationError as error:
        return detail_response(request, access, document, status=422, error=" ".join(error.messages))
    approver = document.approver
    name = approver.get_full_name() or approver.get_username()
    messages.success(
        request,
        _("Version %(number)s sent to %(name)s for approval (by e-mail and in their My work).")
        % {"number": version.number, "name": name},
    )
    return redirect(document)


@require_POST
def version_approve(request, project_id, document_id, version_id):
    access = get_project_for_user(request, project_id)
    document = get_document(access, document_id)
    version = _version(document, version_id)
    access.require(can_decide_version(access, document, version))
    form = ApproveForm(request.POST)
    comment = form.cleaned_data["comment"] if form.is_valid() else ""
    try:
        services.version_approve(version=version, user=request.user, comment=comment)
    except ValidationError as error:
        return detail_response(request, access, document, status=422, error=" ".join(error.messages))
    messages.success(
        request, _("Version %(number)s approved: it is now the current version.") % {"number": version.number}
    )
    return redirect(document)


@require_POST
def version_return(request, project_id, document_id, version_id):
    access = get_project_for_user(request, project_id)
    document = get_document(access, document_id)
    version = _version(document, version_id)
    access.require(can_decide_version(access, document, version))
    form = ReturnForm(request.POST)
    if form.is_valid():
        try:
            services.version_return(version=version, user=request.user, comment=form.cleaned_data["comment"])
        except ValidationError as error:
            add_validation_error(form, error)
        else:
            messages.success(
                request, _("Version %(number)s returned to its author.") % {"number": version.number}
            )
            return redirect(document)
    return detail_response(
        request, access, document, status=422, error=_("Say what needs to change."), return_form=form
    )


def version_download(request, project_id, document_id, version_id):
    """Every member downloads; anyone else gets 404 (the project does not exist for them)."""
    access = get_project_for_user(request, project_id)
    document = get_document(access, document_id)
    version = _version(document, version_id)
    if not version.file:
        return HttpResponseRedirect(version.link)
    try:
        return attachment_response(
            version.file, filename=version.original_name or "document", content_type=version.content_type
        )
    except FileNotFoundError as error:
        raise Http404(_("The file of this version is no longer in storage.")) from error
