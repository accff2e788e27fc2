"""The clause list audits are scoped to, and how roadmap phases map onto clauses."""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.db.models import Subquery

DEFAULT_TEMPLATE_SLUG = "iso20000-1-2018"


@dataclass(frozen=True)
class Clause:
    number: str
    title: str

    @property
    def label(self) -> str:
        return f"{self.number} {self.title}"


def clause_key(number: str) -> tuple[int, ...]:
    """Sort key: "8.10" after "8.9"."""
    return tuple(int(part) for part in re.findall(r"\d+", number))


def audit_template():
    """The checklist template audits are planned against: the newest ISO/IEC 20000-1:2018 version
    shipped by the gap-analysis app."""
    from gapanalysis.models import ChecklistTemplate

    return ChecklistTemplate.objects.filter(slug=DEFAULT_TEMPLATE_SLUG).order_by("-version").first()


def leaf_clauses(project=None) -> list[Clause]:
    """The leaf clauses of the audit template (gap analysis's TemplateClause), in clause order. One query."""
    from gapanalysis.models import ChecklistTemplate, TemplateClause

    newest = (
        ChecklistTemplate.objects.filter(slug=DEFAULT_TEMPLATE_SLUG).order_by("-version").values("pk")[:1]
    )
    rows = TemplateClause.objects.filter(template=Subquery(newest), is_leaf=True).values_list(
        "number", "title"
    )
    return sorted((Clause(number, title) for number, title in rows), key=lambda c: clause_key(c.number))


def clause_titles(project=None) -> dict[str, str]:
    return {c.number: c.title for c in leaf_clauses(project)}


def _in_range(number: tuple[int, ...], low: tuple[int, ...], high: tuple[int, ...]) -> bool:
    width = max(len(low), len(high))
    return low <= number[: len(low)] and number[:width] <= high


def clause_in_reference(number: str, reference: str) -> bool:
    """Does the leaf clause `number` fall under a roadmap reference such as "4.1–4.4, 5.1", "8.x"?

    "all" means the whole standard; it is used by the certification stages only.
    """
    key = clause_key(number)
    for part in (p.strip() for p in reference.split(",")):
        if not part:
            continue
        if part == "all":
            return True
        if part.endswith(".x"):
            if key[:1] == clause_key(part[:-2]):
                return True
            continue
        bounds = re.split(r"\s*[–-]\s*", part)
        if len(bounds) == 2:
            if _in_range(key, clause_key(bounds[0]), clause_key(bounds[1])):
                return True
            continue
        prefix = clause_key(part)
        if key[: len(prefix)] == prefix:
            return True
    return False
