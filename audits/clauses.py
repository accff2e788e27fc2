"""The clause list audits are scoped to (clause numbers themselves: kernel.clauses)."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Subquery

from kernel.clauses import clause_key

DEFAULT_TEMPLATE_SLUG = "iso20000-1-2018"  # gapanalysis.models.ISO_TEMPLATE_SLUG


@dataclass(frozen=True)
class Clause:
    number: str
    title: str
    informative: bool = False  # explanatory only: no nonconformity can be raised against it

    @property
    def label(self) -> str:
        return f"{self.number} {self.title}"


def audit_template():
    """The checklist template audits are planned against: the newest ISO/IEC 20000-1:2018 version
    of the shipped library (never a template some project imported)."""
    from gapanalysis.models import ChecklistTemplate

    return ChecklistTemplate.objects.library().filter(slug=DEFAULT_TEMPLATE_SLUG).order_by("-version").first()


def leaf_clauses(project=None) -> list[Clause]:
    """The leaf clauses of the audit template (gap analysis's TemplateClause), in clause order. One query."""
    from gapanalysis.models import ChecklistTemplate, TemplateClause

    newest = (
        ChecklistTemplate.objects.library()
        .filter(slug=DEFAULT_TEMPLATE_SLUG)
        .order_by("-version")
        .values("pk")[:1]
    )
    rows = TemplateClause.objects.filter(template=Subquery(newest), is_leaf=True).values_list(
        "number", "title", "informative"
    )
    return sorted((Clause(*row) for row in rows), key=lambda c: clause_key(c.number))


def clause_titles(project=None) -> dict[str, str]:
    return {c.number: c.title for c in leaf_clauses(project)}


def informative_clauses(project=None) -> set[str]:
    """Leaf clauses that only explain (8.3.1): a nonconformity is raised where the requirement is."""
    return {c.number for c in leaf_clauses(project) if c.informative}
