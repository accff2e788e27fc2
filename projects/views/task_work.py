"""The task page's discussion: comments (with @mentions) and attached files."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django.views.decorators.http import require_POST

from kernel.access import get_project_for_user
from kernel.formtools import add_validation_error, conflict_form, versioned_edit
from kernel.history import history_entries
from kernel.uploads import attachment_response

from .. import attachments, comments
from ..filters import member_users
from ..models import Task, TaskAttachment, TaskComment
from ..permissions import (
    can_change_comment,
    can_complete_task,
    can_delete_attachment,
    can_discuss_task,
    can_edit_task,
)
from ..task_forms import AttachmentForm, CommentEditForm, CommentForm

COMMENTS_PER_PAGE = 20  # the newest page is shown first; older ones a click away


def _task(access, task_id) -> Task:
    return get_object_or_404(
        Task.objects.select_related("phase", "assignee", "created_by", "completed_by", "project"),
        pk=task_id,
        project=access.project,
    )


def task_page(request, access, task, *, comment_form=None, attachment_form=None, status=200):
    """The task page (task_detail, and a comment or file refused with its message)."""
    comment_list = TaskComment.objects.filter(task=task).select_related("author").order_by("created_at", "id")
    paginator = Paginator(comment_list, COMMENTS_PER_PAGE)
    page = paginator.get_page(request.GET.get("page") or paginator.num_pages)
    may_discuss = can_discuss_task(access, task)
    return render(
        request,
        "projects/task_detail.html",
        {
            "project": access.project,
            "task": task,
            "history": history_entries(task),
            "can_edit": can_edit_task(access, task),
            "can_complete": can_complete_task(access, task),
            "can_discuss": may_discuss,
            "is_lead": access.is_lead,
            "comments": page,
            "member_names": {
                name.lower() for name in member_users(access.project).values_list("username", flat=True)
            },
            "attachments": TaskAttachment.objects.filter(task=task).select_related("uploaded_by"),
            "comment_form": comment_form or (CommentForm() if may_discuss else None),
            "attachment_form": attachment_form or (AttachmentForm() if may_discuss else None),
        },
        status=status,
    )


@require_POST
def comment_add(request, project_id, task_id):
    access = get_project_for_user(request, project_id)
    task = _task(access, task_id)
    access.require(can_discuss_task(access, task))
    form = CommentForm(request.POST)
    if form.is_valid():
        try:
            comment = comments.comment_add(task=task, user=request.user, body=form.cleaned_data["body"])
        except ValidationError as error:
            add_validation_error(form, error)
        else:
            messages.success(request, _("Comment added."))
            return redirect(comment.get_absolute_url())
    return task_page(request, access, task, comment_form=form, status=422)


def _own_comment(request, access, task_id, comment_id) -> TaskComment:
    comment = get_object_or_404(
        TaskComment.objects.select_related("task"),
        pk=comment_id,
        task_id=task_id,
        task__project=access.project,
    )
    access.require(can_change_comment(access, comment))
    return comment


def comment_edit(request, project_id, task_id, comment_id):
    access = get_project_for_user(request, project_id)
    comment = _own_comment(request, access, task_id, comment_id)
    form = CommentEditForm(request.POST or None, instance=comment)
    edit = versioned_edit(
        request,
        form,
        lambda data, version: comments.comment_update(
            comment=comment, user=request.user, expected_version=version, body=data["body"]
        ),
        on_conflict=lambda current: conflict_form(
            CommentEditForm, current, noun=pgettext("record being edited", "comment")
        ),
    )
    if edit.saved:
        messages.success(request, _("Comment saved."))
        return redirect(edit.result.get_absolute_url())
    return render(
        request,
        "projects/comment_form.html",
        {"project": access.project, "task": comment.task, "comment": comment, "form": edit.form},
        status=edit.status,
    )


def comment_delete(request, project_id, task_id, comment_id):
    access = get_project_for_user(request, project_id)
    comment = _own_comment(request, access, task_id, comment_id)
    task = comment.task
    if request.method == "POST":
        comments.comment_delete(comment=comment, user=request.user)
        messages.success(request, _("Comment deleted."))
        return redirect(task)
    return render(
        request,
        "confirm_delete.html",
        {
            "project": access.project,
            "title": _("Delete your comment?"),
            "body": _("“%(comment)s” is removed from the task.")
            % {"comment": Truncator(comment.body).chars(200)},
            "confirm_label": _("Delete comment"),
            "cancel_url": comment.get_absolute_url(),
        },
    )


@require_POST
def attachment_add(request, project_id, task_id):
    access = get_project_for_user(request, project_id)
    task = _task(access, task_id)
    access.require(can_discuss_task(access, task))
    form = AttachmentForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            attachment = attachments.attachment_add(
                task=task, user=request.user, upload=form.cleaned_data["file"]
            )
        except ValidationError as error:
            add_validation_error(form, error)
        else:
            messages.success(request, _("“%(name)s” attached.") % {"name": attachment.filename})
            return redirect(task.get_absolute_url() + "#attachments")
    return task_page(request, access, task, attachment_form=form, status=422)


def _attachment(access, task_id, attachment_id) -> TaskAttachment:
    return get_object_or_404(
        TaskAttachment.objects.select_related("task"),
        pk=attachment_id,
        task_id=task_id,
        task__project=access.project,
    )


def attachment_download(request, project_id, task_id, attachment_id):
    access = get_project_for_user(request, project_id)  # every member reads; others get 404
    attachment = _attachment(access, task_id, attachment_id)
    try:
        return attachment_response(
            attachment.file, filename=attachment.filename, content_type=attachment.content_type
        )
    except FileNotFoundError as error:  # the row outlived its file (a restore without media)
        raise Http404("The file is no longer stored.") from error


def attachment_delete(request, project_id, task_id, attachment_id):
    access = get_project_for_user(request, project_id)
    attachment = _attachment(access, task_id, attachment_id)
    access.require(can_delete_attachment(access, attachment))
    task = attachment.task
    if request.method == "POST":
        attachments.attachment_delete(attachment=attachment, user=request.user)
        messages.success(request, _("“%(name)s” removed.") % {"name": attachment.filename})
        return redirect(task.get_absolute_url() + "#attachments")
    return render(
        request,
        "confirm_delete.html",
        {
            "project": access.project,
            "title": _("Remove the file “%(name)s”?") % {"name": attachment.filename},
            "body": _("The file is deleted from the task. This cannot be undone."),
            "confirm_label": _("Remove file"),
            "cancel_url": task.get_absolute_url() + "#attachments",
        },
    )
