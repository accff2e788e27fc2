"""Demo register for seed_demo: phases 4 and 5 approved, phase 6 under way."""

from contextlib import nullcontext
from datetime import timedelta

from documents import services
from documents.models import Document, DocumentVersion
from projects.demo_clock import demo_clock

STAMPS = ()  # documents rows take their moments from the clock (auto_now and services' timezone.now())

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
    _issue_documents(project, users, approved=APPROVED, in_review=IN_REVIEW, draft=DRAFT)
    seed_operating_evidence(project, users)


def _issue_documents(
    project, users, *, approved, in_review=(), draft=(), host="acme.example", moment=None
) -> None:
    """First issue of each listed register row: approved, submitted for review, or left a draft.
    `moment(index)`, when given, is the demo clock's moment for the index-th document."""
    for index, code in enumerate((*approved, *in_review, *draft)):
        with demo_clock(moment(index), stamp=STAMPS) if moment else nullcontext():
            _issue_one(project, users, code, approved=approved, draft=draft, host=host)


def _issue_one(project, users, code, *, approved, draft, host) -> None:
    author, lead = users["contributor"], users["lead"]
    document = Document.objects.get(project=project, code=code)
    # Top management approves the service management policy; the lead approves the rest. The
    # author named themselves approver of DOC-19's draft: its page shows the warning and the fix.
    selfish = code == "DOC-19" and code in draft
    approver = users["viewer"] if code == "DOC-02" else author if selfish else lead
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
        link=f"https://intranet.{host}/sms/{code.lower()}",
    )
    if code in draft:
        return
    services.version_submit(version=version, user=author)
    if code in approved:
        services.version_approve(version=version, user=approver, comment="Approved for use.")


# Operating evidence: the core processes have run long enough, the rest are catching up --------

EVIDENCE_MONTHS = {
    "8.6.1": (4, "incidents handled, major incident reviews: {n}"),
    "8.6.2": (4, "service requests fulfilled"),
    "8.5.1": (3, "changes approved by the CAB"),
    "8.3.3": (3, "SLA report sent to customers"),
    "9.1": (3, "KPI dashboard reviewed"),
    "8.6.3": (2, "problems opened, known errors recorded"),
    "8.2.6": (1, "CMDB audit run"),
    "8.7.1": (1, "availability report"),
}


def seed_operating_evidence(project, users) -> None:
    """Monthly evidence entries for some processes: some with enough months, some not yet."""
    from datetime import date

    from django.utils import timezone

    from .models import EvidenceOrigin
    from .operation import services as operation
    from .operation.processes import process_by_clause

    today = timezone.localdate()
    for clause, (months, text) in EVIDENCE_MONTHS.items():
        process = process_by_clause()[clause]
        year, month = today.year, today.month
        for back in range(months):
            # the 28th of each earlier month, today for the running one
            on = today if back == 0 else date(year, month, 28)
            count = 30 + 7 * back + len(clause)
            operation.entry_create(
                project=project,
                process=process,
                user=users["contributor"],
                on=on,
                summary=f"{on:%B}: {count} {text.format(n=1 + back % 2)}",
                link=f"https://itsm.acme.example/reports/{clause}/{on:%Y-%m}",
                # monthly reports drawn from the ticketing tool: they carry the month they cover
                origin=EvidenceOrigin.SYSTEM,
                period_start=on.replace(day=1),
            )
            year, month = (year, month - 1) if month > 1 else (year - 1, 12)
        operation.process_update(
            project=project,
            process=process,
            user=users["lead"],
            expected_version=1,
            started_on=date(year, month, 1),
        )


def spread_version_history(project, *, since, start, span, now) -> None:
    """Document versions written at seeding time are spread, in their order, over the project's
    history: a version is submitted a day and approved two days after it was written."""
    versions = list(
        DocumentVersion.objects.filter(document__project=project, created_at__gte=since).order_by("pk")
    )
    for index, version in enumerate(versions, 1):
        written = start + span * index / (len(versions) + 1)
        version.created_at = version.updated_at = written
        if version.submitted_at:
            version.submitted_at = min(written + timedelta(days=1), now)
        if version.approved_at:
            version.approved_at = min(written + timedelta(days=2), now)
    DocumentVersion.objects.bulk_update(versions, ["created_at", "updated_at", "submitted_at", "approved_at"])
