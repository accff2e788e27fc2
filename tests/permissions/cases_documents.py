"""Permission cases for the register of documented information.

The world: DOC-02 (mandatory) owned by the contributor with the viewer as approver (top
management approves the policy); DOC-01 owned by the lead. Versions are links here; file
downloads by every role are checked against real files in tests/documents/test_version_download.py.
"""

from datetime import date

from documents.models import VersionStatus
from tests.factories import add_version, mandatory
from tests.permissions.matrix import Case, everyone_reads, only


def D(w):
    return f"/projects/{w.project.pk}/documents/"


def owned_doc(w):
    """Owned by the contributor, approved by the viewer."""

    def build(w):
        doc = mandatory(w.project, "DOC-02")
        doc.owner, doc.approver = w.user("contributor"), w.user("viewer")
        doc.save()
        return doc

    return w.obj("doc-contributor", build)


def lead_doc(w):
    def build(w):
        doc = mandatory(w.project, "DOC-01")
        doc.owner, doc.approver = w.user("lead"), w.user("auditor")
        doc.save()
        return doc

    return w.obj("doc-lead", build)


def own_draft(w):
    return w.obj("draft", lambda w: add_version(owned_doc(w), w.user("contributor")))


def in_review(w):
    return w.obj(
        "in-review",
        lambda w: add_version(owned_doc(w), w.user("contributor"), status=VersionStatus.IN_REVIEW),
    )


def approved_doc(w):
    def build(w):
        add_version(owned_doc(w), w.user("contributor"), status=VersionStatus.APPROVED)
        return owned_doc(w)

    return w.obj("approved", build)


def self_authored_in_review(w):
    """The contributor is the approver, but the lead wrote the version: only the contributor decides."""

    def build(w):
        doc = mandatory(w.project, "DOC-03")
        doc.owner, doc.approver = w.user("contributor"), w.user("contributor")
        doc.save()
        return doc, add_version(doc, w.user("lead"), status=VersionStatus.IN_REVIEW)

    return w.obj("sod", build)


def author_is_approver(w):
    """The lead wrote it, then the lead was named approver: nobody may approve it now, not even the lead."""

    def build(w):
        doc = mandatory(w.project, "DOC-04")
        doc.owner, doc.approver = w.user("lead"), w.user("auditor")
        doc.save()
        version = add_version(doc, w.user("lead"), status=VersionStatus.IN_REVIEW)
        doc.approver = w.user("lead")
        doc.save()
        return doc, version

    return w.obj("author-approver", build)


def V(w, doc, version):
    return D(w) + f"{doc.pk}/versions/{version.pk}/"


def doc_data(w, doc):
    return {
        "code": doc.code,
        "title": "Edited title",
        "doc_type": "policy",
        "clauses": "5.2",
        "owner": doc.owner_id or "",
        "approver": w.user("viewer").pk,
        "confidentiality": "internal",
        "review_interval_months": 12,
        "version": doc.version,
    }


def new_doc_data(w):
    return {
        "code": "PRC-01",
        "title": "Change procedure",
        "doc_type": "procedure",
        "clauses": "8.5.1",
        "approver": w.user("viewer").pk,
        "confidentiality": "internal",
        "review_interval_months": 12,
    }


def link_version(w):
    return {"link": "https://intranet.example.test/new", "change_summary": "Reworded"}


CASES = [
    Case("documents:register", lambda w: D(w), everyone_reads()),
    Case(
        "documents:register",
        lambda w: D(w) + "?status=missing&review=due&clause=8",
        everyone_reads(),
        label="filtered",
    ),
    Case("documents:export", lambda w: D(w) + "export.xlsx", everyone_reads()),
    Case("documents:create", lambda w: D(w) + "new/", only("lead", "contributor", ok=200)),
    Case(
        "documents:create",
        lambda w: D(w) + "new/",
        only("lead", "contributor"),
        method="post",
        data=new_doc_data,
    ),
    Case("documents:detail", lambda w: D(w) + f"{owned_doc(w).pk}/", everyone_reads()),
    # the contributor edits the documents they own, not the lead's
    Case("documents:edit", lambda w: D(w) + f"{owned_doc(w).pk}/edit/", only("lead", "contributor", ok=200)),
    Case(
        "documents:edit",
        lambda w: D(w) + f"{owned_doc(w).pk}/edit/",
        only("lead", "contributor"),
        method="post",
        data=lambda w: doc_data(w, owned_doc(w)),
    ),
    Case(
        "documents:edit", lambda w: D(w) + f"{lead_doc(w).pk}/edit/", only("lead", ok=200), label="not-owner"
    ),
    Case(
        "documents:edit",
        lambda w: D(w) + f"{lead_doc(w).pk}/edit/",
        only("lead"),
        method="post",
        data=lambda w: doc_data(w, lead_doc(w)),
        label="not-owner",
    ),
    Case("documents:obsolete", lambda w: D(w) + f"{owned_doc(w).pk}/obsolete/", only("lead", ok=200)),
    Case("documents:obsolete", lambda w: D(w) + f"{owned_doc(w).pk}/obsolete/", only("lead"), method="post"),
    Case(
        "documents:review",
        lambda w: D(w) + f"{approved_doc(w).pk}/review/",
        only("lead", "contributor", ok=200),
    ),
    Case(
        "documents:review",
        lambda w: D(w) + f"{approved_doc(w).pk}/review/",
        only("lead", "contributor"),
        method="post",
        data=lambda w: {"outcome": "no_change", "notes": "Still right"},
    ),
    Case(
        "documents:version_create",
        lambda w: D(w) + f"{owned_doc(w).pk}/versions/new/",
        only("lead", "contributor", ok=200),
    ),
    Case(
        "documents:version_create",
        lambda w: D(w) + f"{owned_doc(w).pk}/versions/new/",
        only("lead", "contributor"),
        method="post",
        data=link_version,
    ),
    Case(
        "documents:version_create",
        lambda w: D(w) + f"{lead_doc(w).pk}/versions/new/",
        only("lead"),
        method="post",
        data=link_version,
        label="not-owner",
    ),
    Case(
        "documents:approver",
        lambda w: D(w) + f"{owned_doc(w).pk}/approver/",
        only("lead", "contributor"),
        method="post",
        data=lambda w: {"approver": w.user("auditor").pk, "version": owned_doc(w).version},
    ),
    Case(
        "documents:approver",
        lambda w: D(w) + f"{lead_doc(w).pk}/approver/",
        only("lead"),
        method="post",
        data=lambda w: {"approver": w.user("viewer").pk, "version": lead_doc(w).version},
        label="not-owner",
    ),
    Case(
        "documents:version_submit",
        lambda w: V(w, owned_doc(w), own_draft(w)) + "submit/",
        only("lead", "contributor"),
        method="post",
    ),
    # the named approver (a viewer) approves; the lead may not, as they are not the approver
    Case(
        "documents:version_approve",
        lambda w: V(w, owned_doc(w), in_review(w)) + "approve/",
        only("viewer"),
        method="post",
    ),
    Case(
        "documents:version_approve",
        lambda w: V(w, *self_authored_in_review(w)) + "approve/",
        only("contributor"),
        method="post",
        label="approver-contributor",
    ),
    # segregation of duties: the approver who wrote the version gets 403, like everyone else
    Case(
        "documents:version_approve",
        lambda w: V(w, *author_is_approver(w)) + "approve/",
        only(),
        method="post",
        label="author-is-approver",
    ),
    Case(
        "documents:version_return",
        lambda w: V(w, owned_doc(w), in_review(w)) + "return/",
        only("viewer"),
        method="post",
        data=lambda w: {"comment": "Add the scope reference"},
    ),
    Case(
        "documents:version_download",
        lambda w: V(w, owned_doc(w), own_draft(w)) + "download/",
        everyone_reads(302),
    ),
]


# Operating evidence -------------------------------------------------------------------------


def OP(w, slug="8-6-1"):
    return D(w) + f"operation/{slug}/"


def contributor_entry(w):
    """An evidence entry the contributor recorded (a link, so every role can open it)."""

    def build(w):
        from documents.operation import services as operation
        from documents.operation.processes import process_by_clause

        return operation.entry_create(
            project=w.project,
            process=process_by_clause()["8.6.1"],
            user=w.user("contributor"),
            on=date(2026, 10, 31),
            summary="October: 42 incidents handled",
            link="https://itsm.example.test/reports/october",
        )

    return w.obj("entry-contributor", build)


def lead_entry(w):
    def build(w):
        from documents.operation import services as operation
        from documents.operation.processes import process_by_clause

        return operation.entry_create(
            project=w.project,
            process=process_by_clause()["8.6.1"],
            user=w.user("lead"),
            on=date(2026, 9, 30),
            summary="September: 38 incidents handled",
            link="https://itsm.example.test/reports/september",
        )

    return w.obj("entry-lead", build)


def E(w, entry):
    return OP(w) + f"entries/{entry.pk}/"


def entry_data(w, entry=None):
    data = {"on": "2026-11-30", "summary": "November: 40 incidents", "link": "https://itsm.example.test/nov"}
    if entry is not None:
        data["version"] = entry.version
    return data


OPERATION_CASES = [
    Case("documents:operation", lambda w: D(w) + "operation/", everyone_reads()),
    Case("documents:operation_process", lambda w: OP(w), everyone_reads()),
    Case(
        "documents:operation_process_edit", lambda w: OP(w) + "edit/", only("lead", "contributor", ok=200)
    ),
    Case(
        "documents:operation_process_edit",
        lambda w: OP(w) + "edit/",
        only("lead", "contributor"),
        method="post",
        data=lambda w: {"started_on": "2026-08-01", "notes": "ITSM tool", "version": 1},
    ),
    Case(
        "documents:operation_entry_create",
        lambda w: OP(w) + "entries/new/",
        only("lead", "contributor", ok=200),
    ),
    Case(
        "documents:operation_entry_create",
        lambda w: OP(w) + "entries/new/",
        only("lead", "contributor"),
        method="post",
        data=entry_data,
    ),
    # a contributor changes the entries they recorded, not the lead's
    Case(
        "documents:operation_entry_edit",
        lambda w: E(w, contributor_entry(w)) + "edit/",
        only("lead", "contributor", ok=200),
    ),
    Case(
        "documents:operation_entry_edit",
        lambda w: E(w, contributor_entry(w)) + "edit/",
        only("lead", "contributor"),
        method="post",
        data=lambda w: entry_data(w, contributor_entry(w)),
    ),
    Case(
        "documents:operation_entry_edit",
        lambda w: E(w, lead_entry(w)) + "edit/",
        only("lead"),
        method="post",
        data=lambda w: entry_data(w, lead_entry(w)),
        label="not-own",
    ),
    Case(
        "documents:operation_entry_delete",
        lambda w: E(w, contributor_entry(w)) + "delete/",
        only("lead", "contributor", ok=200),
    ),
    Case(
        "documents:operation_entry_delete",
        lambda w: E(w, lead_entry(w)) + "delete/",
        only("lead"),
        method="post",
        label="not-own",
    ),
    Case(
        "documents:operation_entry_delete",
        lambda w: E(w, contributor_entry(w)) + "delete/",
        only("lead", "contributor"),
        method="post",
    ),
    Case(
        "documents:operation_entry_download",
        lambda w: E(w, contributor_entry(w)) + "download/",
        everyone_reads(302),
    ),
    # the lead alone lets a backdated entry count (the lead's September entry was recorded later)
    Case(
        "documents:operation_entry_accept",
        lambda w: E(w, lead_entry(w)) + "accept/",
        only("lead", ok=200),
    ),
    Case(
        "documents:operation_entry_accept",
        lambda w: E(w, lead_entry(w)) + "accept/",
        only("lead"),
        method="post",
        data=lambda w: {"reason": "The September report is in the ITSM archive."},
    ),
]
CASES += OPERATION_CASES
