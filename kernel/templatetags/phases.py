"""`{{ phase|phase_name }}`: "6. Document the service management processes", never a bare "6.".

A number alone means nothing to someone who has not learnt the roadmap by heart; the title (cut
at `length` characters) says which phase it is.
"""

from django import template
from django.template.defaultfilters import truncatechars

register = template.Library()


@register.filter
def phase_name(phase, length=40):
    if phase is None or phase == "":
        return "—"
    return f"{phase.label} {truncatechars(phase.display_title, int(length))}"
