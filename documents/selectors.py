"""Reads of the register, each with a fixed number of queries whatever the register's size."""

from dataclasses import dataclass, field
from datetime import timedelta

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone

from kernel.clauses import clause_list_filter, sort_clauses, with_parents
from projects.roadmap import PhaseKey

from .mandatory import MandatoryItem, mandatory_by_code, required_items
from .models import REVIEW_DUE_DAYS, Document, DocumentStatus, DocumentVersion, VersionTransition
from .operation.selectors import headline, operation_progress, process_statuses
from .records import RecordState, record_states


def register(project, filters: dict | None = None) -> QuerySet[Document]:
    """The project's documents with what a register row shows, filtered.

    Filters (all optional): status, doc_type, clause (matches sub-clauses too), owner (user id),
    review ("due": due within 30 days or overdue, "overdue"), mandatory ("1"), q (code or title).
    """
    filters = filters or {}
    documents = Document.objects.filter(project=project).select_related(
        "owner", "approver", "current_version", "current_version__approved_by", "latest_version"
    )
    if filters.get("status"):
        documents = documents.filter(status=filters["status"])
    if filters.get("doc_type"):
        documents = documents.filter(doc_type=filters["doc_type"])
    if filters.get("clause"):
        documents = documents.filter(clause_list_filter("clauses", filters["clause"]))
    if filters.get("owner"):
        documents = documents.filter(owner_id=filters["owner"])
    review = filters.get("review")
    if review in ("due", "overdue"):
        today = timezone.localdate()
        limit = today + timedelta(days=REVIEW_DUE_DAYS) if review == "due" else today - timedelta(days=1)
        documents = documents.filter(status=DocumentStatus.APPROVED, next_review_date__lte=limit)
    if filters.get("mandatory"):
        documents = documents.exclude(mandatory_code="")
    if filters.get("q"):
        documents = documents.filter(Q(code__icontains=filters["q"]) | Q(title__icontains=filters["q"]))
    return documents.order_by("code", "id")


def register_clauses(project) -> list[str]:
    """Every clause and parent clause named in the register, in clause order (one query)."""
    found: set[str] = set()
    for clauses in Document.objects.filter(project=project).values_list("clauses", flat=True).distinct():
        for clause in clauses:
            found.update(with_parents(clause))
    return sort_clauses(found)


@dataclass
class MissingItem:
    item: MandatoryItem
    document_id: int | None
    status: str  # the register row's status, or "missing" when the row is gone
    record: RecordState | None = None  # for a record: its evidence state

    @property
    def status_label(self) -> str:
        return self.record.label if self.record else DocumentStatus(self.status).label


@dataclass
class Coverage:
    approved: int  # required items in place: documents approved, records with their evidence
    required: int
    missing: list[MissingItem] = field(default_factory=list)
    records: dict[str, RecordState] = field(default_factory=dict)  # every record's evidence state
    operation: str = ""  # the processes' count, in the words every page uses (operation.selectors.headline)

    @property
    def percent(self) -> int:
        return round(100 * self.approved / self.required) if self.required else 100


def mandatory_coverage(project) -> Coverage:
    """Required documented information in place, and what is not yet (constant queries): a document
    counts once approved, a record once its evidence exists and covers the period (documents.records)."""
    rows, latest = {}, {}
    for code, pk, status, version_id in (
        Document.objects.filter(project=project)
        .exclude(mandatory_code="")
        .values_list("mandatory_code", "id", "status", "latest_version_id")
    ):
        rows[code], latest[code] = (pk, status), (pk, version_id)
    statuses = process_statuses(project)
    records = record_states(project, statuses=statuses, latest_versions=latest)
    approved, missing = 0, []
    items = required_items()
    for item in items:
        pk, status = rows.get(item.code, (None, DocumentStatus.MISSING))
        if item.is_record:
            record = records[item.code]
            if record.satisfied:
                approved += 1
            else:
                missing.append(
                    MissingItem(item=item, document_id=pk, status=DocumentStatus.MISSING, record=record)
                )
        elif status == DocumentStatus.APPROVED:
            approved += 1
        else:
            missing.append(MissingItem(item=item, document_id=pk, status=status))
    return Coverage(
        approved=approved,
        required=len(items),
        missing=missing,
        records=records,
        operation=headline(statuses),
    )


def mandatory_progress_by_phase(project) -> dict[str, tuple[int, int]]:
    """{phase key: (items in place, items)} for the phases that produce mandatory documented
    information, and the operation phase from the processes' months of evidence (constant queries).

    The operational records (phase 9) come from the same evidence, so the operation phase counts
    the evidence months alone rather than the same thing twice; the records the audits app holds
    count there already (its own progress of phases 10, 11 and 12)."""
    approved_codes = set(
        Document.objects.filter(project=project, status=DocumentStatus.APPROVED)
        .exclude(mandatory_code="")
        .values_list("mandatory_code", flat=True)
    )
    result: dict[str, tuple[int, int]] = {}
    for item in required_items():
        if item.is_record:
            # Records feed the readiness gate and coverage; phase progress stays with the work that
            # produces them (the operating evidence below, the audits app's own data, training tasks).
            continue
        done_now = item.code in approved_codes
        done, total = result.get(item.phase, (0, 0))
        result[item.phase] = (done + done_now, total + 1)
    result[PhaseKey.OPERATION] = operation_progress(project)
    return result


def document_status_summary(project, today=None) -> dict:
    """Counts by status plus reviews due and overdue, for the management review and reports (1 query)."""
    today = today or timezone.localdate()
    approved = Q(status=DocumentStatus.APPROVED)
    counts = Document.objects.filter(project=project).aggregate(
        total=Count("id"),
        review_overdue=Count("id", filter=approved & Q(next_review_date__lt=today)),
        review_due=Count(
            "id",
            filter=approved
            & Q(next_review_date__gte=today, next_review_date__lte=today + timedelta(days=REVIEW_DUE_DAYS)),
        ),
        **{status: Count("id", filter=Q(status=status)) for status in DocumentStatus.values},
    )
    return {
        "total": counts["total"],
        "by_status": {status: counts[status] for status in DocumentStatus.values},
        "status_labels": dict(DocumentStatus.choices),
        "review_due": counts["review_due"],
        "review_overdue": counts["review_overdue"],
    }


def document_detail(project, document_id):
    return Document.objects.select_related(
        "owner", "approver", "current_version", "latest_version", "latest_version__author"
    ).get(project=project, pk=document_id)


def version_list(document) -> list[DocumentVersion]:
    """Versions newest first, each with its transition log (2 queries)."""
    return list(
        document.versions.select_related("author", "approved_by").prefetch_related(
            Prefetch("transitions", queryset=VersionTransition.objects.select_related("actor"))
        )
    )


def mandatory_item_for(document) -> MandatoryItem | None:
    return mandatory_by_code().get(document.mandatory_code)
