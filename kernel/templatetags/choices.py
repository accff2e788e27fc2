"""`{{ widget|option_label }}`: the empty choice of a picker says what choosing nothing means.

Django writes "---------" for the empty choice of every optional foreign key and choice field; the
select_option widget template (templates/django/forms/widgets/select_option.html, used through
FORM_RENDERER) asks here instead, by the field's name, so no form has to remember it.
"""

from django import template
from django.utils.translation import gettext_lazy as _

from kernel.i18n import mid_sentence
from kernel.models import Role

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


@register.filter
def role_label(key):
    """A member role in the reader's language from its stored key ("lead" → "Lead")."""
    try:
        return Role(key).label
    except ValueError:
        return key


@register.filter(name="mid_sentence")
def mid_sentence_filter(label):
    """`{{ label|mid_sentence }}`: a label inside a sentence, lower-cased as the language does it
    (German keeps its nouns' capitals)."""
    return mid_sentence(label)
