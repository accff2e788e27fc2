"""Demo register for seed_demo: phases 4 and 5 approved, phase 6 under way."""

from documents import services
from documents.models import Document

APPROVED = (
    "DOC-01",
    "DOC-02",
    "DOC-03",
    "DOC-04",
    "DOC-05",
    "REC-01",
    "DOC-08",
    "DOC-09",
    "DOC-10",
    "DOC-12",
    "DOC-13",
    "DOC-14",
    "DOC-15",
    "DOC-16",
    "DOC-17",
    "DOC-18",
    "DOC-20",
    "DOC-22",
    "DOC-23",
)
IN_REVIEW = ("DOC-11", "DOC-21")
DRAFT = ("DOC-06", "DOC-07", "DOC-19")


def seed_documents(project, users) -> None:
    documents = {d.code: d for d in Document.objects.filter(project=project)}
    author, lead = users["contributor"], users["lead"]
    for code in APPROVED + IN_REVIEW + DRAFT:
        document = documents[code]
        # Top management approves the service management policy; the lead approves the rest. The
        # author named themselves approver of DOC-19's draft: its page shows the warning and the fix.
        approver = users["viewer"] if code == "DOC-02" else author if code == "DOC-19" else lead
        document = services.document_update(
            document=document,
            user=lead,
            expected_version=document.version,
            may_change_owner=True,
            owner=author,
            approver=approver,
        )
        version = services.version_create(
            document=document,
            user=author,
            change_summary="First issue",
            link=f"https://intranet.acme.example/sms/{code.lower()}",
        )
        if code in DRAFT:
            continue
        services.version_submit(version=version, user=author)
        if code in APPROVED:
            services.version_approve(version=version, user=approver, comment="Approved for use.")
