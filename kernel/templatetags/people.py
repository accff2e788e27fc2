"""`{{ user|person }}`: a person's name for pages and reports, safe when nobody is there.

`x.get_full_name|default:x.username` fails when `x` is None (a filter argument that does not
resolve raises), which is what an unassigned task, a phase without owner or an audit without lead
auditor gives. `person` answers the full name, else the username, else the placeholder.
"""

from django import template

register = template.Library()


@register.filter
def person(user, placeholder="—"):
    if user is None or user == "":
        return placeholder
    return user.get_full_name() or user.get_username()
