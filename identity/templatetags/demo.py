"""`{% demo_logins as logins %}`: the demo accounts for the sign-in page, only in DEBUG.

`make run` seeds them with a known password; a newcomer should not have to read the console to
find it. Never outside DEBUG: there a known password must not be advertised, even if someone ran
seed_demo --force.
"""

from django import template
from django.conf import settings
from django.contrib.auth import get_user_model
from django.utils.translation import gettext as _

register = template.Library()


@register.simple_tag
def demo_logins():
    if not settings.DEBUG:
        return None
    from projects.management.commands.seed_demo import DEMO_USERS

    roles = {username: role for username, _first, _last, role in DEMO_USERS}
    present = set(
        get_user_model().objects.filter(username__in=roles, is_active=True).values_list("username", flat=True)
    )
    accounts = [
        {"login": username, "role": roles[username].label.lower() if roles[username] else _("no project")}
        for username, *_rest in DEMO_USERS
        if username in present
    ]
    return {"accounts": accounts, "password": settings.DEMO_PASSWORD} if accounts else None
