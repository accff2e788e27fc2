from django import template

from .. import selectors

register = template.Library()


@register.inclusion_tag("documents/partials/dashboard_coverage.html")
def documents_coverage_card(project):
    """The dashboard card: mandatory coverage and review figures (2 queries)."""
    return {
        "project": project,
        "coverage": selectors.mandatory_coverage(project),
        "summary": selectors.document_status_summary(project),
    }


@register.filter
def person(user, empty="—"):
    """A member's full name, else their username; `empty` when there is nobody."""
    if not user:
        return empty
    return user.get_full_name() or user.get_username()
