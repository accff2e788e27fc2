"""Who may do what with documented information (PRODUCT.md, "Who may do what").

Every member reads and downloads. The lead creates and edits any document; a contributor
creates documents and edits, uploads to and sends for review those they own. A version is
approved (or returned) by the document's named approver, any member, never by its author.
"""

from projects.models import Role

from .models import DocumentStatus, EvidenceOrigin, VersionStatus


def can_create_document(access) -> bool:
    return access.role in (Role.LEAD, Role.CONTRIBUTOR)


def can_edit_document(access, document) -> bool:
    if document.status == DocumentStatus.OBSOLETE:
        return False
    return access.is_lead or (access.role == Role.CONTRIBUTOR and document.owner_id == access.user.pk)


def can_change_owner(access) -> bool:
    return access.is_lead


def can_make_obsolete(access, document) -> bool:
    return access.is_lead and document.status != DocumentStatus.OBSOLETE


def can_decide_version(access, document, version) -> bool:
    """Approve or return a version in review: the named approver, who is not its author."""
    return (
        version.status == VersionStatus.IN_REVIEW
        and document.approver_id is not None
        and document.approver_id == access.user.pk
        and version.author_id != access.user.pk
    )


def can_record_review(access, document) -> bool:
    return document.status == DocumentStatus.APPROVED and can_edit_document(access, document)


# Operating evidence (documents.operation) ----------------------------------------------------


def can_record_evidence(access) -> bool:
    """The lead and contributors record that the processes run; viewers and auditors read."""
    return access.role in (Role.LEAD, Role.CONTRIBUTOR)


def can_change_entry(access, entry) -> bool:
    """The lead changes any entry; a contributor the entries they added. Nobody changes a frozen
    ticket population (connectors/evidence)."""
    if entry.origin == EvidenceOrigin.CONNECTOR:
        return False
    return access.is_lead or (access.role == Role.CONTRIBUTOR and entry.created_by_id == access.user.pk)
