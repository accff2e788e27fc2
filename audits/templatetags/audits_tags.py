from django import template

from projects.readiness import readiness_blockers

from .. import selectors

register = template.Library()


@register.simple_tag
def audit_dashboard(project):
    """The dashboard card's figures: a fixed number of queries."""
    counts = selectors.finding_counts(project)
    return {
        "blockers": len(readiness_blockers(project)),
        "open_ncs": counts["major_nc"]["open"] + counts["minor_nc"]["open"],
        "actions": selectors.action_counts(project),
    }
