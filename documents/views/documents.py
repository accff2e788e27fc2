from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kernel import pagecache
from kernel.access import get_project_for_user
from kernel.formtools import add_validation_error, conflict_form, versioned_edit
from kernel.history import history_entries

from .. import selectors, services
from ..forms import ApproveForm, ApproverForm, DocumentForm, ReturnForm, ReviewForm
from ..models import Document, ReviewOutcome, VersionStatus
from ..permissions import (
    can_change_owner,
    can_create_document,
    can_decide_version,
    can_edit_document,
    can_make_obsolete,
    can_record_review,
)
from ..records import record_states


def get_document(access, document_id) -> Document:
    try:
        return selectors.document_detail(access.project, document_id)
    except Document.DoesNotExist as error:
        raise Http404(_("No such document in this project.")) from error


def _approver_problem(document, latest) -> str:
    """Why the draft waiting to be sent cannot go to review as things stand ("" when it can)."""
    if latest is None or latest.status != VersionStatus.DRAFT:
        return ""
    if document.approver_id is None:
        return "no-approver"
    if document.approver_id == latest.author_id:
        return "author-is-approver"
    return ""


def detail_response(
    request, access, document, *, status=200, error=None, return_form=None, approver_form=None
):
    """The document page; also answers a refused action (with the reason and a 4xx status)."""
    latest = document.latest_version
    can_edit = can_edit_document(access, document)
    approver_problem = _approver_problem(document, latest)
    if can_edit and approver_problem and approver_form is None:
        approver_form = ApproverForm(instance=document, project=access.project, author=latest.author)
    item = selectors.mandatory_item_for(document)
    context = {
        "project": access.project,
        "document": document,
        "item": item,
        "record": pagecache.lazy(
            lambda: record_states(access.project).get(item.code) if item and item.is_record else None
        ),
        # Read inside the template's cached parts (kernel/pagecache.py).
        "versions": pagecache.lazy(lambda: selectors.version_list(document)),
        "reviews": pagecache.lazy(
            lambda: list(document.reviews.select_related("reviewed_by", "version")[:20])
        ),
        "history": pagecache.lazy(lambda: history_entries(document)),
        "can_edit": can_edit,
        "can_submit": can_edit and latest is not None and latest.status == VersionStatus.DRAFT,
        "can_decide": latest is not None and can_decide_version(access, document, latest),
        "can_review": can_record_review(access, document),
        "can_obsolete": can_make_obsolete(access, document),
        "approve_form": ApproveForm(),
        "return_form": return_form or ReturnForm(),
        "approver_problem": approver_problem,
        "approver_form": approver_form if can_edit else None,
        "error": error,
    }
    return render(request, "documents/document_detail.html", context, status=status)


@require_POST
def approver_change(request, project_id, document_id):
    """Name another approver from the document page (the form shown when the author of the waiting
    draft is the approver, or nobody is), then come back to ask for review."""
    access = get_project_for_user(request, project_id)
    document = get_document(access, document_id)
    access.require(can_edit_document(access, document))
    latest = document.latest_version
    author = latest.author if latest is not None and latest.status == VersionStatus.DRAFT else None
    form = ApproverForm(request.POST, instance=document, project=access.project, author=author)
    edit = versioned_edit(
        request,
        form,
        lambda data, version: services.document_update(
            document=document, user=request.user, expected_version=version, approver=data["approver"]
        ),
    )
    if edit.saved:
        approver = edit.result.approver
        messages.success(
            request,
            _("%(name)s now approves this document.")
            % {"name": approver.get_full_name() or approver.get_username()},
        )
        return redirect(edit.result)
    if edit.status == 409:
        document = get_document(access, document_id)
        error = _(
            "Someone else changed this document while you were choosing; check the approver and try again."
        )
        return detail_response(request, access, document, status=409, error=error)
    return detail_response(
        request, access, document, status=422, error=_("Choose a member as approver."), approver_form=form
    )


def document_detail(request, project_id, document_id):
    access = get_project_for_user(request, project_id)
    return detail_response(request, access, get_document(access, document_id))


def document_create(request, project_id):
    access = get_project_for_user(request, project_id)
    access.require(can_create_document(access))
    may_change_owner = can_change_owner(access)
    initial = {} if may_change_owner else {"owner": request.user.pk}
    form = DocumentForm(
        request.POST or None, project=access.project, may_change_owner=may_change_owner, initial=initial
    )
    if request.method == "POST":
        if form.is_valid():
            try:
                document = services.document_create(
                    project=access.project,
                    user=request.user,
                    owner_is_user=not may_change_owner,
                    **form.cleaned_data,
                )
            except ValidationError as error:
                add_validation_error(form, error)
            else:
                messages.success(
                    request,
                    _("Document %(code)s registered. Add its first version.") % {"code": document.code},
                )
                return redirect(document)
        return render(
            request, "documents/document_form.html", {"project": access.project, "form": form}, status=422
        )
    return render(request, "documents/document_form.html", {"project": access.project, "form": form})


def document_edit(request, project_id, document_id):
    access = get_project_for_user(request, project_id)
    document = get_document(access, document_id)
    access.require(can_edit_document(access, document))
    may_change_owner = can_change_owner(access)
    form = DocumentForm(
        request.POST or None, instance=document, project=access.project, may_change_owner=may_change_owner
    )
    edit = versioned_edit(
        request,
        form,
        lambda data, version: services.document_update(
            document=document,
            user=request.user,
            expected_version=version,
            may_change_owner=may_change_owner,
            **data,
        ),
        on_conflict=lambda current: conflict_form(
            DocumentForm, current, noun="document", project=access.project, may_change_owner=may_change_owner
        ),
    )
    if edit.saved:
        messages.success(request, _("Document details saved."))
        return redirect(edit.result)
    return render(
        request,
        "documents/document_form.html",
        {"project": access.project, "form": edit.form, "document": document},
        status=edit.status,
    )


def document_obsolete(request, project_id, document_id):
    access = get_project_for_user(request, project_id)
    document = get_document(access, document_id)
    access.require(can_make_obsolete(access, document))
    if request.method == "POST":
        services.document_make_obsolete(document=document, user=request.user)
        messages.success(request, _("%(code)s is now obsolete.") % {"code": document.code})
        return redirect(document)
    body = _("It stays in the register, read-only, with its versions.")
    if document.is_mandatory:
        body += _(" It is a mandatory item: the coverage will count it as missing until it is replaced.")
    return render(
        request,
        "confirm_delete.html",
        {
            "project": access.project,
            "title": _("Make %(document)s obsolete?") % {"document": document},
            "body": body,
            "confirm_label": "Make obsolete",
            "cancel_url": document.get_absolute_url(),
        },
    )


def review_record(request, project_id, document_id):
    access = get_project_for_user(request, project_id)
    document = get_document(access, document_id)
    access.require(can_record_review(access, document))
    form = ReviewForm(request.POST or None)
    if request.method == "POST":
        if form.is_valid():
            try:
                review = services.document_review_record(
                    document=document, user=request.user, **form.cleaned_data
                )
            except ValidationError as error:
                add_validation_error(form, error)
            else:
                if review.outcome == ReviewOutcome.NEW_VERSION:
                    messages.info(request, _("Review recorded. Upload the new version for approval."))
                    return redirect("documents:version_create", access.project.pk, document.pk)
                messages.success(
                    request,
                    _("Review recorded. Next review by %(next_review_date)s.")
                    % {"next_review_date": format(review.next_review_date, "%-d %b %Y")},
                )
                return redirect(document)
        return render(
            request,
            "documents/review_form.html",
            {"project": access.project, "document": document, "form": form},
            status=422,
        )
    return render(
        request, "documents/review_form.html", {"project": access.project, "document": document, "form": form}
    )
