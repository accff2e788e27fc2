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
    """Activity and document versions recorded at seeding time without a moment of their own (the
    other apps' demo parts) are spread, in their order, between the project's start and today: a
    history of months, not of a minute. A version is submitted a day and approved two days after
    it was written."""
    from django.apps import apps

    from .models import Activity

    start = timezone.make_aware(datetime.combine(project.start_date, time(9)))
    span = _real_now() - timedelta(hours=1) - start
    rows = list(Activity.objects.filter(project=project, created_at__gte=since).order_by("pk"))
    for index, row in enumerate(rows, 1):
        row.created_at = start + span * index / (len(rows) + 1)
    Activity.objects.bulk_update(rows, ["created_at"])

    # Looked up by name: projects imports no other app.
    version_model = apps.get_model("documents", "DocumentVersion")
    versions = list(
        version_model.objects.filter(document__project=project, created_at__gte=since).order_by("pk")
    )
    for index, version in enumerate(versions, 1):
        written = start + span * index / (len(versions) + 1)
        version.created_at = version.updated_at = written
        if version.submitted_at:
            version.submitted_at = min(written + timedelta(days=1), _real_now())
        if version.approved_at:
            version.approved_at = min(written + timedelta(days=2), _real_now())
    version_model.objects.bulk_update(versions, ["created_at", "updated_at", "submitted_at", "approved_at"])
