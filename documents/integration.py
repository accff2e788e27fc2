"""Everything the register contributes to the rest of the product (kernel.extensions):
the mandatory items of every new project, phase progress, review reminders, the
coverage section of the management report, the dashboard card and the demo data. Registered in
DocumentsConfig.ready()."""


from django.utils.translation import gettext_lazy as _

from kernel.extensions import (
    Contributions,
    DashboardCard,
    DemoData,
    EmailKind,
    ReportSection,
    Responsibility,
    WebhookEventSpec,
)
from projects.roadmap import PhaseKey

from . import reporting, selectors, services
from .demo import seed_documents, spread_version_history
from .demo_certified import seed_certified_documents
from .models import Document, DocumentStatus
from .waiting import VERSIONS_TO_APPROVE


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


def _open_documents(project):
    return Document.objects.filter(project=project).exclude(status=DocumentStatus.OBSOLETE).order_by("code")


OWNED_DOCUMENTS = Responsibility(
    _("Documents they own"), lambda project, user: _open_documents(project).filter(owner=user), field="owner"
)
DOCUMENTS_TO_APPROVE = Responsibility(
    _("Documents they approve"),
    lambda project, user: _open_documents(project).filter(approver=user),
    field="approver",
)


CONTRIBUTIONS = Contributions(
    email_kinds=(EmailKind("review_request", _("Document version to approve")),),
    webhook_events=(WebhookEventSpec("version.approved", "A document version was approved"),),
    project_setup=(seed_register,),
    progress_providers=(mandatory_documents_progress,),
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
            _("Documented information"),
            50,
            "reports/sections/documents.html",
            reporting.coverage_section,
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
)
