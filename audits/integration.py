"""What audits contribute to the roadmap (phase progress) and to the Stage 1 readiness gate."""

from __future__ import annotations

from django.urls import reverse

from projects.readiness import Blocker

from . import selectors

CATEGORY_AUDIT = "Internal audit"
CATEGORY_REVIEW = "Management review"
CATEGORY_NC = "Nonconformities"


def audit_progress(project) -> dict[str, tuple[float, float]]:
    return selectors.audit_progress(project)


def audit_blockers(project) -> list[Blocker]:
    """Clauses not covered by an internal audit in the cycle; no finalised management review;
    open major nonconformities; minor nonconformities past their due date. Five queries."""
    blockers = []
    programme_url = reverse("audits:programme", args=[project.pk])
    for clause in selectors.uncovered_clauses(project):
        blockers.append(
            Blocker(
                CATEGORY_AUDIT,
                f"Clause {clause.label} is not covered by an internal audit held in this cycle.",
                programme_url,
            )
        )
    if not selectors.has_final_review(project):
        blockers.append(
            Blocker(
                CATEGORY_REVIEW,
                "No management review has finalised minutes.",
                reverse("audits:review_list", args=[project.pk]),
            )
        )
    for finding in selectors.open_major_ncs(project).order_by("number"):
        blockers.append(
            Blocker(
                CATEGORY_NC,
                f"Major nonconformity {finding.reference} (clause {finding.clause}) is still open.",
                finding.get_absolute_url(),
            )
        )
    for finding in selectors.overdue_minor_ncs(project).order_by("number"):
        blockers.append(
            Blocker(
                CATEGORY_NC,
                f"Minor nonconformity {finding.reference} (clause {finding.clause}) is past its due date "
                f"({finding.due_date:%d %b %Y}).",
                finding.get_absolute_url(),
            )
        )
    return blockers
