"""Writes for the register of documented information. Views call these; they never save models."""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from simple_history.utils import bulk_create_with_history

from kernel import webhooks
from kernel.concurrency import lock_for_edit
from kernel.uploads import check_project_quota, validate_upload
from projects import activity
from projects.models import Membership, Project
from projects.progress_refresh import progress_refresh_on_commit
from projects.services import activity_record

from . import notifications
from .dates import add_months
from .mandatory import mandatory_items
from .models import (
    Document,
    DocumentReview,
    DocumentStatus,
    DocumentVersion,
    ReviewOutcome,
    VersionStatus,
    VersionTransition,
)

DOCUMENT_FIELDS = (
    "code",
    "title",
    "doc_type",
    "clauses",
    "owner",
    "approver",
    "confidentiality",
    "review_interval_months",
)

# The register's starting point ---------------------------------------------------------------


def register_seed(*, project: Project) -> int:
    """Add the mandatory items the project's register lacks, marked missing. Idempotent."""
    existing = Document.objects.filter(project_id=project.pk).values_list("code", "mandatory_code")
    codes = {code for code, _ in existing}
    present = {mandatory for _, mandatory in existing if mandatory}
    new = []
    for item in mandatory_items():
        if item.code in present:
            continue
        code = item.code if item.code not in codes else f"ISO-{item.code}"
        new.append(
            Document(
                project_id=project.pk,
                code=code,
                title=item.english_title,
                doc_type=item.doc_type,
                clauses=item.clauses,
                status=DocumentStatus.MISSING,
                mandatory_code=item.code,
            )
        )
    bulk_create_with_history(new, Document)
    return len(new)


# Documents -----------------------------------------------------------------------------------


def _validate_people(document: Document) -> None:
    people = {f: getattr(document, f"{f}_id") for f in ("owner", "approver") if getattr(document, f"{f}_id")}
    if not people:
        return
    members = set(
        Membership.objects.filter(project_id=document.project_id, user_id__in=people.values()).values_list(
            "user_id", flat=True
        )
    )
    errors = {f: _("Choose a member of this project.") for f, uid in people.items() if uid not in members}
    if errors:
        raise ValidationError(errors)


def _save_document(document: Document) -> None:
    document.code = (document.code or "").strip()
    document.title = (document.title or "").strip()
    _validate_people(document)
    document.full_clean()
    try:
        with transaction.atomic():
            document.save()
    except IntegrityError as error:
        raise ValidationError(
            {"code": _("A document with this code already exists in the project.")}
        ) from error


@transaction.atomic
def document_create(*, project: Project, user, owner_is_user: bool = False, **fields) -> Document:
    """Register a new document. A contributor creates documents they own (`owner_is_user`)."""
    document = Document(project=project, **{k: v for k, v in fields.items() if k in DOCUMENT_FIELDS})
    if owner_is_user:
        document.owner = user
    _save_document(document)
    activity_record(
        project=project,
        actor=user,
        verb="document registered",
        message=gettext_noop("Document %(document)s registered"),
        values={"document": str(document)},
        url=document.get_absolute_url(),
    )
    return document


@transaction.atomic
def document_update(
    *, document: Document, user, expected_version: int, may_change_owner: bool = False, **fields
) -> Document:
    document = lock_for_edit(Document, document.pk, expected_version=expected_version)
    if document.status == DocumentStatus.OBSOLETE:
        raise ValidationError(_("This document is obsolete and can no longer be edited."))
    for name in DOCUMENT_FIELDS:
        if name not in fields or (name == "owner" and not may_change_owner):
            continue
        if name == "code" and document.is_mandatory:
            continue  # the code of a mandatory item stays as the standard's list has it
        setattr(document, name, fields[name])
    if document.status == DocumentStatus.APPROVED and document.approved_at:
        base = document.last_reviewed_on or timezone.localdate(document.approved_at)
        document.next_review_date = add_months(base, document.review_interval_months)
    document.version += 1
    _save_document(document)
    activity_record(
        project=document.project,
        actor=user,
        verb="document edited",
        message=gettext_noop("Document %(document)s edited"),
        values={"document": str(document)},
        url=document.get_absolute_url(),
    )
    return document


@transaction.atomic
def document_make_obsolete(*, document: Document, user) -> Document:
    document = Document.objects.select_for_update().get(pk=document.pk)
    if document.status == DocumentStatus.OBSOLETE:
        return document
    document.status = DocumentStatus.OBSOLETE
    document.next_review_date = None
    document.version += 1
    document.save()
    progress_refresh_on_commit(document.project_id)
    activity_record(
        project=document.project,
        actor=user,
        verb="document obsolete",
        message=gettext_noop("Document %(document)s made obsolete"),
        values={"document": str(document)},
        url=document.get_absolute_url(),
    )
    return document


# Versions ------------------------------------------------------------------------------------


def _transition(version: DocumentVersion, to_status: str, user, comment: str = "") -> VersionTransition:
    transition = VersionTransition.objects.create(
        version=version, from_status=version.status, to_status=to_status, actor=user, comment=comment
    )
    version.status = to_status
    return transition


def _lock(version: DocumentVersion) -> tuple[Document, DocumentVersion]:
    """Lock the document row (serialises every change to it) and reload the version."""
    document = Document.objects.select_for_update().select_related("project").get(pk=version.document_id)
    return document, DocumentVersion.objects.get(pk=version.pk)


@transaction.atomic
def version_create(
    *, document: Document, user, change_summary: str, upload=None, link: str = ""
) -> DocumentVersion:
    """Add a draft version from an uploaded file or a link. A refused file stores nothing."""
    document = Document.objects.select_for_update().select_related("project").get(pk=document.pk)
    if document.status == DocumentStatus.OBSOLETE:
        raise ValidationError(_("This document is obsolete: it takes no new versions."))
    open_versions = list(document.versions.filter(status__in=(VersionStatus.DRAFT, VersionStatus.IN_REVIEW)))
    in_review = [v for v in open_versions if v.status == VersionStatus.IN_REVIEW]
    if in_review:
        raise ValidationError(
            _(
                "Version %(number)s is waiting for approval. The approver approves it or returns it "
                "before a new version can be added."
            )
            % {"number": in_review[0].number}
        )
    change_summary = (change_summary or "").strip()
    if not change_summary:
        raise ValidationError({"change_summary": _("Say what changed in this version.")})
    link = (link or "").strip()
    if bool(upload) == bool(link):
        raise ValidationError({"file": _("Attach a file or give a link (one of the two).")})

    last = document.versions.order_by("-number").values_list("number", flat=True).first() or 0
    version = DocumentVersion(
        document=document,
        number=last + 1,
        link=link,
        change_summary=change_summary,
        author=user,
        supersedes=document.current_version,
    )
    if upload:
        try:
            checked = validate_upload(upload)
            check_project_quota(project=document.project, adding=checked.size)
        except ValidationError as error:
            raise ValidationError({"file": error.messages}) from error
        upload.name = checked.name
        version.file = upload
        version.original_name, version.content_type, version.size = (
            checked.name,
            checked.content_type,
            checked.size,
        )
    version.full_clean(exclude=["file"])
    for draft in open_versions:
        _transition(
            draft,
            VersionStatus.WITHDRAWN,
            user,
            _("Replaced by version %(number)s.") % {"number": version.number},
        )
        draft.save(update_fields=["status", "updated_at"])
    try:
        with transaction.atomic():
            version.save()
    except IntegrityError as error:
        if version.file.name:
            version.file.storage.delete(version.file.name)
        raise ValidationError(_("Someone added a version at the same moment; try again.")) from error
    VersionTransition.objects.create(version=version, to_status=VersionStatus.DRAFT, actor=user)
    document.latest_version = version
    if document.status in (DocumentStatus.MISSING, DocumentStatus.IN_REVIEW):
        document.status = DocumentStatus.DRAFT
    document.version += 1
    document.save()
    activity_record(
        project=document.project,
        actor=user,
        verb="version added",
        message=gettext_noop("Version %(number)s of %(document)s added as a draft"),
        values={"document": str(document), "number": version.number},
        url=document.get_absolute_url(),
    )
    return version


@transaction.atomic
def version_submit(*, version: DocumentVersion, user) -> DocumentVersion:
    """Ask the named approver to review a draft; they get an e-mail (outbox) and see it in My work."""
    document, version = _lock(version)
    if version.status != VersionStatus.DRAFT:
        raise ValidationError(
            _("Version %(number)s is %(status)s, not a draft.")
            % {"number": version.number, "status": version.get_status_display().lower()}
        )
    if document.approver_id is None:
        raise ValidationError(_("Name an approver for this document before asking for review."))
    if document.approver_id == version.author_id:
        raise ValidationError(
            _(
                "The named approver wrote this version and may not approve it (segregation of duties). "
                "Name a different approver first."
            )
        )
    submission = _transition(version, VersionStatus.IN_REVIEW, user)
    version.submitted_at = submission.at
    version.save()
    if document.status != DocumentStatus.APPROVED:
        document.status = DocumentStatus.IN_REVIEW
    document.version += 1
    document.save()
    activity_record(
        project=document.project,
        actor=user,
        verb="review requested",
        message=gettext_noop("Version %(number)s of %(document)s sent for review"),
        values={"document": str(document), "number": version.number},
        url=document.get_absolute_url(),
    )
    notifications.review_requested(document=document, version=version, submission=submission, user=user)
    return version


def _check_decider(document: Document, version: DocumentVersion, user) -> None:
    if version.status != VersionStatus.IN_REVIEW:
        raise ValidationError(
            _("Version %(number)s is %(status)s, not waiting for approval.")
            % {"number": version.number, "status": version.get_status_display().lower()}
        )
    if document.approver_id != user.pk:
        raise ValidationError(_("Only the document's named approver decides on its versions."))
    if version.author_id == user.pk:
        raise ValidationError(
            _("You wrote version %(number)s; someone else must approve it (segregation of duties).")
            % {"number": version.number}
        )


@transaction.atomic
def version_approve(*, version: DocumentVersion, user, comment: str = "") -> DocumentVersion:
    """Approve a version: it becomes current, supersedes the previous one, and sets the review date."""
    document, version = _lock(version)
    _check_decider(document, version, user)
    now = timezone.now()
    previous = document.current_version
    if previous is not None and previous.pk != version.pk:
        _transition(
            previous,
            VersionStatus.SUPERSEDED,
            user,
            _("Superseded by version %(number)s.") % {"number": version.number},
        )
        previous.save(update_fields=["status", "updated_at"])
    _transition(version, VersionStatus.APPROVED, user, comment.strip())
    version.approved_by, version.approved_at = user, now
    version.supersedes = previous
    version.save()
    today = timezone.localdate(now)
    document.current_version = version
    document.status = DocumentStatus.APPROVED
    document.approved_at = now
    document.last_reviewed_on = today
    document.next_review_date = add_months(today, document.review_interval_months)
    document.version += 1
    document.save()
    progress_refresh_on_commit(document.project_id)
    webhooks.webhook_publish(
        project=document.project_id,
        name="version.approved",
        key=f"version.approved:{version.pk}",
        data={
            "document": {
                "id": document.pk,
                "title": document.title,
                "url": webhooks.site_url(document.get_absolute_url()),
            },
            "version": {"id": version.pk, "number": version.number, "approved_at": now.isoformat()},
            "by": webhooks.actor(user),
        },
    )
    activity_record(
        project=document.project,
        actor=user,
        verb="document approved",
        message=gettext_noop("Version %(number)s of %(document)s approved"),
        values={"document": str(document), "number": version.number},
        url=document.get_absolute_url(),
    )
    return version


@transaction.atomic
def version_return(*, version: DocumentVersion, user, comment: str) -> DocumentVersion:
    """The approver sends a version back to its author as a draft, saying why."""
    document, version = _lock(version)
    _check_decider(document, version, user)
    comment = (comment or "").strip()
    if not comment:
        raise ValidationError({"comment": _("Say what needs to change.")})
    _transition(version, VersionStatus.DRAFT, user, comment)
    version.submitted_at = None
    version.save()
    if document.status == DocumentStatus.IN_REVIEW:
        document.status = DocumentStatus.DRAFT
    document.version += 1
    document.save()
    activity_record(
        project=document.project,
        actor=user,
        verb="version returned",
        message=gettext_noop("Version %(number)s of %(document)s returned to its author"),
        values={"document": str(document), "number": version.number},
        url=document.get_absolute_url(),
    )
    return version


# Periodic review -----------------------------------------------------------------------------


@transaction.atomic
def document_review_record(*, document: Document, user, outcome: str, notes: str = "") -> DocumentReview:
    """Record a periodic review: "no change" sets a new review date on the same version;
    "new version" leaves the date as it is until the next version is approved."""
    document = Document.objects.select_for_update().select_related("project").get(pk=document.pk)
    if document.status != DocumentStatus.APPROVED:
        raise ValidationError(_("Only an approved document is reviewed."))
    if outcome not in ReviewOutcome.values:
        raise ValidationError({"outcome": _("Choose the outcome of the review.")})
    today = timezone.localdate()
    if outcome == ReviewOutcome.NO_CHANGE:
        document.last_reviewed_on = today
        document.next_review_date = add_months(today, document.review_interval_months)
    review = DocumentReview.objects.create(
        document=document,
        version=document.current_version,
        outcome=outcome,
        notes=(notes or "").strip(),
        reviewed_by=user,
        next_review_date=document.next_review_date,
    )
    document.version += 1
    document.save()
    progress_refresh_on_commit(document.project_id)
    activity_record(
        project=document.project,
        actor=user,
        verb="document reviewed",
        message=gettext_noop("%(document)s reviewed: %(outcome)s"),
        values={
            "document": str(document),
            "outcome": activity.choice(ReviewOutcome, review.outcome, lower=True),
        },
        url=document.get_absolute_url(),
    )
    return review
