"""Security throttles counted in PostgreSQL: wrong second-factor codes, invitations (docs/security.md).

A limit allows `per_user` events (and `per_session` from one browser session) within a sliding
`window`; past it the account (or session) waits until enough events have aged out. Events are rows
(identity.models.ThrottleEvent), so the count holds on any number of web processes and while
Redis is down. Callers lock the account's row (`lock_account`) in the transaction that reads the
count and records the event: two requests at once are counted one after the other. A database error
propagates: callers refuse (fail closed), never let the attempt through uncounted.

The scopes are the apps' contributions (Contributions.throttle_scopes, extensions.throttle_scopes()):
adding a throttle needs no change here and no migration (the scope column has no choices).
"""

import math
from dataclasses import dataclass
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.utils import timezone
from django.utils.translation import ngettext

from . import extensions
from .tables import Table

ThrottleEvent = Table("throttle_event")  # identity.ThrottleEvent


KEEP = timedelta(days=90)  # events older than this are deleted when the same budget records anew


@dataclass(frozen=True)
class Limit:
    scope: str
    per_user: int
    window: timedelta
    per_session: int | None = None


def lock_account(user_id: int) -> None:
    """Serialise the throttled steps of one account until the transaction ends."""
    list(get_user_model().objects.select_for_update().filter(pk=user_id).values_list("pk", flat=True))


def retry_after(limit: Limit, *, user_id: int, session: str = "") -> timedelta | None:
    """How long until the next attempt is allowed; None when it is allowed now."""
    now = timezone.now()
    recent = ThrottleEvent.objects.filter(scope=limit.scope, created_at__gt=now - limit.window)
    budgets = [(recent.filter(user_id=user_id), limit.per_user)]
    if session and limit.per_session:
        budgets.append((recent.filter(session=session), limit.per_session))
    waits = []
    for events, allowed in budgets:
        # The allowed-th most recent event: once it ages out, the count is below the limit again.
        newest_first = events.order_by("-created_at").values_list("created_at", flat=True)
        edge = list(newest_first[allowed - 1 : allowed])
        if edge:
            waits.append(edge[0] + limit.window - now)
    return max(waits) if waits else None


def record(limit: Limit, *, user_id: int, session: str = "", detail: str = "", ip_address=None) -> None:
    if limit.scope not in extensions.throttle_scopes():  # an app declares each scope it counts
        raise ValueError(f"Unknown throttle scope {limit.scope!r}")
    ThrottleEvent.objects.filter(
        scope=limit.scope, user_id=user_id, created_at__lt=timezone.now() - KEEP
    ).delete()
    ThrottleEvent.objects.create(
        scope=limit.scope, user_id=user_id, session=session, detail=detail[:100], ip_address=ip_address
    )


def minutes(wait: timedelta) -> str:
    count = max(1, math.ceil(wait.total_seconds() / 60))
    return ngettext("%(count)d minute", "%(count)d minutes", count) % {"count": count}
