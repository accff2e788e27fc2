"""Who may do what with the registers (as with documented information).

Every member reads and exports. The lead creates, edits and deletes any entry, imports files and
records the context determination; a contributor (a process or service owner) creates entries and
edits those they own — for SLA targets and actuals the service's owner, for measurements the
objective's owner. Auditors and viewers (top management) read.
"""

from kernel.models import Role


def can_create(access) -> bool:
    return access.role in (Role.LEAD, Role.CONTRIBUTOR)


def owner_id_of(kind, obj):
    """The id of the person who owns the entry (or its parent), read along kind.owner_path."""
    target = obj
    for part in kind.owner_path.split("__")[:-1]:
        target = getattr(target, part)
    return getattr(target, kind.owner_path.split("__")[-1] + "_id")


def can_edit(access, kind, obj) -> bool:
    if access.is_lead:
        return True
    return access.role == Role.CONTRIBUTOR and owner_id_of(kind, obj) == access.user.pk


def can_create_child(access, kind, parent) -> bool:
    """Add a target to a service, an actual to a target, a measurement to an objective."""
    return can_edit(access, kind, parent)


def can_delete(access) -> bool:
    return access.is_lead


def can_import(access) -> bool:
    return access.is_lead


def can_determine_context(access) -> bool:
    return access.is_lead
