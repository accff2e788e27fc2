from django import template

from .. import selectors

register = template.Library()


@register.inclusion_tag("ticket_evidence/partials/dashboard_figures.html")
def ticket_figures_card(project):
    """The dashboard's compact charts (1 query for a project without mapping rules, 4 with)."""
    return {"card": selectors.dashboard_card(project), "project": project}


@register.filter
def hours(value):
    return "—" if value is None else f"{value:g} h"


@register.filter
def percent(value):
    return "—" if value is None else f"{value:g}%"
