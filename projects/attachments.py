"""Files attached to tasks: stored after the product's upload checks (type by content, size, the
project's storage quota), served only as downloads, removed with their row."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils.translation import gettext as _

from kernel import pagecache
from kernel.uploads import check_project_quota, validate_upload

from .models import Task, TaskAttachment

ATTACHMENTS_PER_TASK = 50  # a task is not a file store: documents belong in the register


def task_attachment_bytes(project) -> int:
    """Bytes of task attachments in the project (its share of the storage quota)."""
    total = TaskAttachment.objects.filter(task__project=project).aggregate(total=Sum("size"))["total"]
    return total or 0


@transaction.atomic
def attachment_add(*, task: Task, user, upload) -> TaskAttachment:
    if not upload:
        raise ValidationError({"file": _("Choose a file to attach.")})
    checked = validate_upload(upload)
    check_project_quota(project=task.project, adding=checked.size)  # locks the project row
    if TaskAttachment.objects.filter(task=task).count() >= ATTACHMENTS_PER_TASK:
        raise ValidationError(
            {
                "file": _("A task holds at most %(count)d files; remove one first.")
                % {"count": ATTACHMENTS_PER_TASK}
            }
        )
    attachment = TaskAttachment(
        task=task,
        filename=checked.name,
        content_type=checked.content_type,
        size=checked.size,
        uploaded_by=user,
    )
    attachment.file.save(checked.name, upload, save=False)
    stored, storage = attachment.file.name, attachment.file.storage
    try:  # a refused row leaves no file behind
        attachment.full_clean(exclude=["file"])
        attachment.save()
    except Exception:
        storage.delete(stored)
        raise
    pagecache.project_changed(task.project_id)
    return attachment


def delete_files_on_commit(names: list[str], storage) -> None:
    """Remove stored files once the rows that named them are gone for good (after commit)."""
    for name in names:
        transaction.on_commit(lambda name=name: storage.delete(name))


@transaction.atomic
def attachment_delete(*, attachment: TaskAttachment, user) -> None:
    stored, storage = attachment.file.name, attachment.file.storage
    attachment.delete()
    pagecache.project_changed(attachment.task.project_id)
    delete_files_on_commit([stored], storage)


def attachment_files_of(tasks) -> tuple[list[str], object]:
    """The stored names of the tasks' attachments (to delete after the tasks are deleted)."""
    names = list(TaskAttachment.objects.filter(task__in=tasks).values_list("file", flat=True))
    return names, TaskAttachment._meta.get_field("file").storage
