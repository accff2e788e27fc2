"""How the register plugs into the rest of the product: seeding new projects, phase progress
and certification readiness. Connected in DocumentsConfig.ready()."""

from django.urls import reverse
from django.utils import timezone

from projects.readiness import Blocker
from projects.responsibilities import Responsibility

from . import selectors, services
from .mandatory import mandatory_items
from .models import Document, DocumentStatus

CATEGORY = "Documented information"


def seed_register_on_project_created(sender, instance, created, raw=False, **kwargs):
    """Every new project's register starts with the mandatory items, marked missing."""
    if created and not raw:
        services.register_seed(project=instance)


def mandatory_documents_progress(project) -> dict[str, tuple[int, int]]:
    """Phases 4, 5 and 6 count the share of their mandatory items that are approved."""
    return selectors.mandatory_progress_by_phase(project)


def documented_information_blockers(project) -> list[Blocker]:
    """Each mandatory item not approved, or approved but overdue for review (1 query)."""
    today = timezone.localdate()
    rows = {
        doc.mandatory_code: doc
        for doc in Document.objects.filter(project=project)
        .exclude(mandatory_code="")
        .only("id", "project_id", "mandatory_code", "status", "next_review_date")
    }
    blockers = []
    register_url = reverse("documents:register", args=[project.pk])
    for item in mandatory_items():
        doc = rows.get(item.code)
        url = reverse("documents:detail", args=[project.pk, doc.pk]) if doc else register_url
        label = f"{item.code} {item.title} (clause {item.clauses_label})"
        if doc is None or doc.status != DocumentStatus.APPROVED:
            state = doc.get_status_display().lower() if doc else "missing"
            blockers.append(Blocker(CATEGORY, f"{label} is not approved ({state}).", url))
        elif doc.next_review_date and doc.next_review_date < today:
            blockers.append(
                Blocker(
                    CATEGORY, f"{label} is overdue for review since {doc.next_review_date:%-d %b %Y}.", url
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
