"""Writes of the operating evidence. Views call these; they never save models."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from kernel.concurrency import lock_for_edit
from kernel.uploads import check_project_quota, validate_upload
from projects import activity
from projects.models import Project
from projects.progress_refresh import progress_refresh_on_commit
from projects.services import activity_record

from ..models import DocumentVersion, EvidenceEntry, EvidenceOrigin, OperatingProcess, VersionStatus
from .processes import Process, process_by_clause, record_kind_choices
from .selectors import SYSTEM_ORIGINS, entry_flag


def _refuse_frozen(entry: EvidenceEntry) -> None:
    """A frozen ticket population is evidence that cannot change afterwards (connectors/evidence)."""
    if entry.origin == EvidenceOrigin.CONNECTOR:
        raise ValidationError(_("A frozen ticket population cannot be edited or deleted."))


def _process_url(project: Project, process: Process) -> str:
    return reverse("documents:operation_process", args=[project.pk, process.slug])


def _process_part(process: Process) -> dict:
    """The process in an activity line: its clause and its title, worded when shown."""
    return activity.joined([process.clause, activity.nested(process.title)], " ")


def _operating_process(project: Project, process: Process) -> OperatingProcess:
    """The process's row, created on first use; two first uses at once still make one row."""
    try:
        with transaction.atomic():
            row, _ = OperatingProcess.objects.get_or_create(project=project, clause=process.clause)
    except IntegrityError:
        row = OperatingProcess.objects.get(project=project, clause=process.clause)
    return row


@transaction.atomic
def process_update(
    *,
    project: Project,
    process: Process,
    user,
    expected_version: int,
    started_on,
    notes: str = "",
    owner=None,
) -> OperatingProcess:
    """Set when the process started operating and who owns it. A process without a row yet is shown
    as version 1, so two first saves at once conflict like any other edit."""
    row = _operating_process(project, process)
    row = lock_for_edit(OperatingProcess, row.pk, expected_version=expected_version)
    if owner is not None and not project.memberships.filter(user=owner).exists():
        raise ValidationError({"owner": _("The process owner must be a member of the project.")})
    row.started_on, row.notes, row.owner = started_on, (notes or "").strip(), owner
    row.version += 1
    row.full_clean()
    row.save()
    activity_record(
        project=project,
        actor=user,
        verb="process operating",
        message=gettext_noop("%(process)s: operating since %(date)s")
        if started_on
        else gettext_noop("%(process)s: start date cleared"),
        values={"process": _process_part(process), "date": activity.day(started_on)}
        if started_on
        else {"process": _process_part(process)},
        url=_process_url(project, process),
    )
    return row


def _check_version(project: Project, document_version: DocumentVersion | None) -> None:
    if document_version is None:
        return
    if document_version.document.project_id != project.pk:
        raise ValidationError({"document_version": _("Choose a version of this project's register.")})
    if document_version.status == VersionStatus.WITHDRAWN:
        raise ValidationError({"document_version": _("A withdrawn version is not evidence.")})


def _apply_kind(
    entry: EvidenceEntry,
    *,
    process: Process,
    row: OperatingProcess,
    user,
    record_code,
    none_occurred,
    period_start,
) -> None:
    """The kind of record and the "none occurred" statement (documents.operation.rules)."""
    record_code = record_code or ""
    if record_code and record_code not in dict(record_kind_choices(process)):
        raise ValidationError(
            {"record_code": _("%(label)s does not keep that kind of record.") % {"label": process.label}}
        )
    if none_occurred:
        if row.owner_id is None:
            raise ValidationError(
                {
                    "none_occurred": _(
                        "Name the process owner first: only they can state that nothing occurred."
                    )
                }
            )
        if row.owner_id != user.pk:
            raise ValidationError(
                {"none_occurred": _("Only the process owner can state that nothing occurred.")}
            )
        if period_start is None:
            raise ValidationError(
                {"period_start": _("Give the first day of the period in which nothing occurred.")}
            )
    if entry.origin in SYSTEM_ORIGINS and period_start is None:
        raise ValidationError(
            {"period_start": _("Evidence from another system carries the period it covers.")}
        )
    if period_start is not None and period_start > entry.on:
        raise ValidationError({"period_start": _("The period must start on or before its last day.")})
    entry.record_code, entry.none_occurred, entry.period_start = (
        record_code,
        bool(none_occurred),
        period_start,
    )


def _apply_source(entry: EvidenceEntry, *, project, document_version, upload, link, keep_file: bool) -> str:
    """Point the entry at exactly one source; returns the name of a file to delete after commit.
    A "none occurred" statement has no source."""
    link = (link or "").strip()
    if entry.none_occurred:
        if document_version or upload or link:
            raise ValidationError(
                _("A “none occurred” statement has no evidence attached: leave the sources empty.")
            )
        old_file = entry.file.name if entry.file else ""
        entry.document_version, entry.link = None, ""
        entry.file, entry.original_name, entry.content_type, entry.size = "", "", "", 0
        return old_file
    given = [bool(document_version), bool(upload), bool(link)]
    if sum(given) > 1:
        raise ValidationError(_("Give one source of evidence: a register version, a file or a link."))
    if not any(given):
        if keep_file and entry.file:
            return ""
        raise ValidationError(_("Give the evidence: a register version, a file or a link."))
    _check_version(project, document_version)
    old_file = entry.file.name if entry.file else ""
    entry.document_version, entry.link = document_version, link
    entry.file, entry.original_name, entry.content_type, entry.size = "", "", "", 0
    if upload:
        try:
            checked = validate_upload(upload)
            check_project_quota(project=project, adding=checked.size)
        except ValidationError as error:
            raise ValidationError({"file": error.messages}) from error
        upload.name = checked.name
        entry.file = upload
        entry.original_name, entry.content_type, entry.size = checked.name, checked.content_type, checked.size
    return old_file


def _delete_file_on_commit(name: str) -> None:
    if name:
        storage = EvidenceEntry._meta.get_field("file").storage
        transaction.on_commit(lambda: storage.delete(name))


def _save(entry: EvidenceEntry) -> None:
    entry.summary = (entry.summary or "").strip()
    entry.full_clean(exclude=["file", "process", "project"])
    try:
        with transaction.atomic():
            entry.save()
    except IntegrityError as error:
        if entry.file and entry.file.name:
            entry.file.storage.delete(entry.file.name)  # stored by save(), refused by the database
        raise ValidationError(
            _("Give exactly one source of evidence: a register version, a file or a link.")
        ) from error


@transaction.atomic
def entry_create(
    *,
    project: Project,
    process: Process,
    user,
    on: date,
    summary: str,
    document_version: DocumentVersion | None = None,
    upload=None,
    link: str = "",
    record_code: str = "",
    none_occurred: bool = False,
    period_start: date | None = None,
    origin: str = EvidenceOrigin.MANUAL,
) -> EvidenceEntry:
    """Add a dated piece of evidence that the process ran, or the owner's statement that nothing
    occurred in a period. A refused file stores nothing."""
    row = _operating_process(project, process)
    entry = EvidenceEntry(
        project=project, process=row, on=on, summary=summary, created_by=user, origin=origin
    )
    _apply_kind(
        entry,
        process=process,
        row=row,
        user=user,
        record_code=record_code,
        none_occurred=none_occurred,
        period_start=period_start,
    )
    _apply_source(
        entry, project=project, document_version=document_version, upload=upload, link=link, keep_file=False
    )
    _save(entry)
    progress_refresh_on_commit(project.pk)
    activity_record(
        project=project,
        actor=user,
        verb="evidence added",
        message=gettext_noop("%(process)s: evidence of %(date)s added"),
        values={"process": _process_part(process), "date": activity.day(on)},
        url=_process_url(project, process),
    )
    return entry


@transaction.atomic
def entry_update(
    *,
    entry: EvidenceEntry,
    user,
    expected_version: int,
    on: date,
    summary: str,
    document_version: DocumentVersion | None = None,
    upload=None,
    link: str = "",
    record_code: str = "",
    none_occurred: bool = False,
    period_start: date | None = None,
) -> EvidenceEntry:
    """Edit an entry; with no new source given, an uploaded file stays. A new date takes back the
    lead's acceptance of a backdated entry: the lead accepted that date, not another."""
    entry = lock_for_edit(EvidenceEntry, entry.pk, expected_version=expected_version)
    _refuse_frozen(entry)
    project = entry.project
    if on != entry.on or period_start != entry.period_start:
        entry.accepted_by, entry.accepted_at, entry.accepted_reason = None, None, ""
    entry.on = on
    _apply_kind(
        entry,
        process=process_by_clause()[entry.process.clause],
        row=entry.process,
        user=user,
        record_code=record_code,
        none_occurred=none_occurred,
        period_start=period_start,
    )
    old_file = _apply_source(
        entry, project=project, document_version=document_version, upload=upload, link=link, keep_file=True
    )
    entry.on, entry.summary = on, summary
    entry.version += 1
    _save(entry)
    _delete_file_on_commit(old_file)
    progress_refresh_on_commit(project.pk)
    activity_record(
        project=project,
        actor=user,
        verb="evidence edited",
        message=gettext_noop("%(clause)s: evidence of %(date)s edited"),
        values={"clause": entry.process.clause, "date": activity.day(on)},
        url=reverse("documents:operation_process", args=[project.pk, entry.process.clause.replace(".", "-")]),
    )
    return entry


@transaction.atomic
def entry_delete(*, entry: EvidenceEntry, user, expected_version: int | None = None) -> None:
    entry = lock_for_edit(EvidenceEntry, entry.pk, expected_version=expected_version)
    _refuse_frozen(entry)
    project, clause = entry.project, entry.process.clause
    _delete_file_on_commit(entry.file.name if entry.file else "")
    entry.delete()
    progress_refresh_on_commit(project.pk)
    activity_record(
        project=project,
        actor=user,
        verb="evidence deleted",
        message=gettext_noop("%(clause)s: evidence of %(date)s deleted"),
        values={"clause": clause, "date": activity.day(entry.on)},
        url=reverse("documents:operation_process", args=[project.pk, clause.replace(".", "-")]),
    )


@transaction.atomic
def entry_accept(*, entry: EvidenceEntry, user, reason: str) -> EvidenceEntry:
    """The lead lets a flagged (backdated) entry count, with the reason on record."""
    entry = EvidenceEntry.objects.select_for_update().select_related("process").get(pk=entry.pk)
    reason = (reason or "").strip()
    if not entry_flag(entry):
        raise ValidationError(_("This entry is not flagged: it counts already."))
    if not reason:
        raise ValidationError(
            {"reason": _("Say why this entry may count, e.g. where the original record is.")}
        )
    entry.accepted_by, entry.accepted_at, entry.accepted_reason = user, timezone.now(), reason
    entry.version += 1
    entry.save()
    progress_refresh_on_commit(entry.project_id)
    activity_record(
        project=entry.project,
        actor=user,
        verb="evidence accepted",
        message=gettext_noop("%(clause)s: backdated entry of %(date)s accepted: %(reason)s"),
        values={"clause": entry.process.clause, "date": activity.day(entry.on), "reason": reason[:100]},
        url=reverse(
            "documents:operation_process", args=[entry.project_id, entry.process.clause.replace(".", "-")]
        ),
    )
    return entry
