"""Everything the register contributes to the rest of the product (kernel.extensions):
the mandatory items of every new project, phase progress, the readiness gate, review reminders, the
coverage section of the management report, the dashboard card and the demo data. Registered in
DocumentsConfig.ready()."""

from django.urls import reverse
from django.utils import timezone

from kernel.extensions import (
    Contributions,
    DashboardCard,
    DemoData,
    EmailKind,
    ReadinessGroup,
    ReportSection,
    Responsibility,
    WebhookEventSpec,
)
from projects.readiness import Blocker
from projects.roadmap import PhaseKey

from . import reporting, selectors, services
from .demo import seed_documents, spread_version_history
from .demo_certified import seed_certified_documents
from .mandatory import required_items
from .models import Document, DocumentStatus
from .operation import selectors as operation_selectors
from .records import HELD, record_states
from .waiting import VERSIONS_TO_APPROVE

CATEGORY = "Documented information"
CATEGORY_RECORDS = "Records"
CATEGORY_OPERATION = "Operating evidence"


def seed_register(project) -> None:
    """Every new project's register starts with the mandatory items, marked missing."""
    services.register_seed(project=project)


def mandatory_documents_progress(project) -> dict[str, tuple[int, int]]:
    """Phases 4, 5 and 6 count the share of their mandatory items that are approved."""
    return selectors.mandatory_progress_by_phase(project)


def stored_version_bytes(project) -> int:
    """Bytes of uploaded version and evidence files in the project (for the storage quota)."""
    from django.db.models import Sum

    from .models import DocumentVersion, EvidenceEntry

    versions = DocumentVersion.objects.filter(document__project=project)
    evidence = EvidenceEntry.objects.filter(project=project)
    return (versions.aggregate(total=Sum("size"))["total"] or 0) + (
        evidence.aggregate(total=Sum("size"))["total"] or 0
    )


def documented_information_blockers(project, *, stage: int = 1) -> list[Blocker]:
    """Each required document not approved or overdue for review, each required record without its
    evidence, each process short of the operating evidence `stage` needs (constant queries): Stage 1
    asks that every process operates with first records, Stage 2 for the full minimum operating
    period (documents.operation.rules). Registered as the Stage 1 gate's source."""
    today = timezone.localdate()
    rows = {
        doc.mandatory_code: doc
        for doc in Document.objects.filter(project=project)
        .exclude(mandatory_code="")
        .only("id", "project_id", "mandatory_code", "status", "next_review_date", "latest_version_id")
    }
    blockers = []
    register_url = reverse("documents:register", args=[project.pk])
    statuses = operation_selectors.process_statuses(project, stage=stage, today=today)
    records = record_states(
        project,
        statuses=statuses,
        latest_versions={code: (doc.pk, doc.latest_version_id) for code, doc in rows.items()},
    )
    for item in required_items():
        doc = rows.get(item.code)
        url = reverse("documents:detail", args=[project.pk, doc.pk]) if doc else register_url
        label = f"{item.code} {item.title} (clause {item.clauses_label})"
        if item.is_record:
            record = records[item.code]
            # A record the audits app holds is gated there (audits held over every clause, a final
            # review), so it is not listed twice.
            if not record.satisfied and record.source != HELD:
                blockers.append(Blocker(CATEGORY_RECORDS, f"{label}: {record.summary}.", record.url))
        elif doc is None or doc.status != DocumentStatus.APPROVED:
            state = doc.get_status_display().lower() if doc else "missing"
            blockers.append(Blocker(CATEGORY, f"{label} is not approved ({state}).", url))
        elif doc.next_review_date and doc.next_review_date < today:
            blockers.append(
                Blocker(
                    CATEGORY, f"{label} is overdue for review since {doc.next_review_date:%-d %b %Y}.", url
                )
            )
    for status in statuses:
        if not status.enough:
            blockers.append(
                Blocker(
                    CATEGORY_OPERATION,
                    f"{status.process.label}: {status.missing}.",
                    reverse("documents:operation_process", args=[project.pk, status.process.slug]),
                )
            )
    return blockers


def _open_documents(project):
    return Document.objects.filter(project=project).exclude(status=DocumentStatus.OBSOLETE).order_by("code")


OWNED_DOCUMENTS = Responsibility(
    "Documents they own", lambda project, user: _open_documents(project).filter(owner=user), field="owner"
)
DOCUMENTS_TO_APPROVE = Responsibility(
    "Documents they approve",
    lambda project, user: _open_documents(project).filter(approver=user),
    field="approver",
)


CONTRIBUTIONS = Contributions(
    email_kinds=(EmailKind("review_request", "Document version to approve"),),
    webhook_events=(WebhookEventSpec("version.approved", "A document version was approved"),),
    project_setup=(seed_register,),
    progress_providers=(mandatory_documents_progress,),
    readiness_blockers=(documented_information_blockers,),
    upload_usage=(stored_version_bytes,),
    progress_derived_from={
        PhaseKey.SCOPE_AND_POLICY: "the approval of its mandatory documents",
        PhaseKey.SUPPORT_PROCEDURES: "the approval of its mandatory documents",
        PhaseKey.PROCESS_DOCUMENTATION: "the approval of its mandatory documents",
        PhaseKey.OPERATION: "the months of operating evidence of each process",
    },
    reminder_sources=(reporting.document_review_reminders, reporting.version_approval_reminders),
    report_sections=(
        ReportSection(
            "documents",
            "Documented information",
            50,
            "reports/sections/documents.html",
            reporting.coverage_section,
            True,
        ),
    ),
    dashboard_cards=(
        DashboardCard("documents/partials/dashboard_card.html", order=10),
        DashboardCard("documents/partials/evidence_heat_map_card.html", order=15),
    ),
    demo_data=DemoData(
        seed_documents,
        order=10,
        certified_seed=seed_certified_documents,
        spread_history=spread_version_history,
    ),
    responsibilities=(OWNED_DOCUMENTS, DOCUMENTS_TO_APPROVE),
    waiting=(VERSIONS_TO_APPROVE,),
    readiness_groups=(
        ReadinessGroup(
            CATEGORY,
            10,
            "required document not approved",
            "required documents not approved",
            "Open the register",
            lambda project: reverse("documents:register", args=[project.pk]) + "?mandatory=on",
        ),
        ReadinessGroup(
            CATEGORY_OPERATION,
            20,
            "process short of the operating evidence needed",
            "processes short of the operating evidence needed",
            "Record operating evidence",
            lambda project: reverse("documents:operation", args=[project.pk]),
        ),
        ReadinessGroup(
            CATEGORY_RECORDS,
            30,
            "required record without evidence",
            "required records without evidence",
            "See the records",
            lambda project: reverse("documents:register", args=[project.pk]) + "?doc_type=record",
        ),
    ),
)
