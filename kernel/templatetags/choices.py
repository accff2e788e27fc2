"""`{{ widget|option_label }}`: the empty choice of a picker says what choosing nothing means.

Django writes "---------" for the empty choice of every optional foreign key and choice field; the
select_option widget template (templates/django/forms/widgets/select_option.html, used through
FORM_RENDERER) asks here instead, by the field's name, so no form has to remember it.
"""

from django import template
from django.utils.translation import gettext_lazy as _

register = template.Library()

DJANGO_BLANK = "---------"
EMPTY_LABELS = {
    "assignee": _("— Unassigned —"),
    "owner": _("— Nobody yet —"),
    "approver": _("— Nobody yet —"),
    "lead_auditor": _("— No lead auditor yet —"),
    "phase": _("— No phase —"),
    "audit": _("— No audit —"),
    "successor": _("— Choose a member —"),
}


@register.filter
def option_label(option):
    label = option.get("label")
    if label != DJANGO_BLANK:
        return label
    name = (option.get("name") or "").rsplit("-", 1)[-1]  # form prefixes ("task-assignee")
    return EMPTY_LABELS.get(name) or _("— Choose —")
