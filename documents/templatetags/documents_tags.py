from django import template

from .. import selectors
from ..mandatory import mandatory_by_code
from ..operation import selectors as operation_selectors

register = template.Library()


@register.inclusion_tag("documents/partials/dashboard_coverage.html")
def documents_coverage_card(project):
    """The dashboard card: mandatory coverage and review figures (2 queries)."""
    return {
        "project": project,
        "coverage": selectors.mandatory_coverage(project),
        "summary": selectors.document_status_summary(project),
    }


@register.inclusion_tag("documents/partials/evidence_heat_map.html")
def evidence_heat_map(project):
    """The dashboard's process × month heat map of operating evidence (3 queries): the count is the
    one rule's (documents.operation.selectors.process_statuses), as everywhere."""
    statuses = operation_selectors.process_statuses(project)
    columns, rows = operation_selectors.heat_map(project, statuses=statuses)
    return {
        "project": project,
        "columns": columns,
        "rows": rows,
        "headline": operation_selectors.headline(statuses),
    }


@register.filter
def tier_of(code):
    """The mandatory item's tier ("required" / "recommended") for a register row; "" otherwise."""
    item = mandatory_by_code().get(code)
    return item.tier if item else ""


@register.filter
def lookup(mapping, key):
    return mapping.get(key) if mapping else None


@register.filter
def person(user, empty="—"):
    """A member's full name, else their username; `empty` when there is nobody."""
    if not user:
        return empty
    return user.get_full_name() or user.get_username()
