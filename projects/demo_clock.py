"""A clock for the demo seed, so the demo has a history spread over months rather than one minute.

Inside `demo_clock(moment)` django.utils.timezone.now() answers `moment`: auto_now fields, history
records and every service that reads the clock see it. Fields whose default is the `timezone.now`
function itself (bound when the model was defined: Activity.created_at, for example) are stamped
afterwards for the rows created inside the block. For seed_demo only: never in a request.
"""

from __future__ import annotations

from contextlib import contextmanager
from datetime import datetime, time, timedelta

from django.db.models import Max
from django.utils import timezone

from kernel import extensions

_real_now = timezone.now  # days_ago counts from the real today, also inside a demo_clock block


def days_ago(days: int, hour: int = 10, minute: int = 0) -> datetime:
    """An aware moment `days` before today at a local working hour (a minute apart per item)."""
    day = timezone.localtime(_real_now()).date() - timedelta(days=days)
    return timezone.make_aware(datetime.combine(day, time(hour, minute % 60)))


@contextmanager
def demo_clock(moment: datetime, *, stamp=()):
    """Run the block as if at `moment`; `stamp` lists (model, field) set to it for rows created in it."""
    from .models import Activity

    stamp = ((Activity, "created_at"), *stamp)
    marks = [(model, field, model.objects.aggregate(mark=Max("pk"))["mark"] or 0) for model, field in stamp]
    timezone.now = lambda: moment
    try:
        yield moment
    finally:
        timezone.now = _real_now
    for model, field, mark in marks:
        model.objects.filter(pk__gt=mark).update(**{field: moment})


def spread_history(project, *, since: datetime) -> None:
    """Activity recorded at seeding time without a moment of its own is spread, in its order,
    between the project's start and today: a history of months, not of a minute. The other apps
    spread their own rows (document versions) through their DemoData.spread_history."""
    from .models import Activity

    start = timezone.make_aware(datetime.combine(project.start_date, time(9)))
    span = _real_now() - timedelta(hours=1) - start
    rows = list(Activity.objects.filter(project=project, created_at__gte=since).order_by("pk"))
    for index, row in enumerate(rows, 1):
        row.created_at = start + span * index / (len(rows) + 1)
    Activity.objects.bulk_update(rows, ["created_at"])

    # The other apps' rows (document versions...): each app spreads its own (its DemoData).
    for demo in extensions.demo_data():
        if demo.spread_history is not None:
            demo.spread_history(project, since=since, start=start, span=span, now=_real_now())
