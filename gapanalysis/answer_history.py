"""The history row of a saved answer, recording the settled answer rather than every step on the
way to it (issue 25 §2.4).

Choosing a result with the keyboard (arrow keys through the radio buttons) autosaves at each step:
three saves within seconds for one change. Successive saves of the same answer by the same person
within SETTLE_SECONDS update that person's latest history row instead of adding one, so the history
shows one change; a save by someone else, or after the pause, adds a row as before.
"""

from __future__ import annotations

import functools
from datetime import timedelta

from django.conf import settings
from django.db import connection
from django.db.models import OuterRef, Subquery
from django.utils import timezone

from .models import Response

SETTLE_SECONDS = 60


@functools.cache
def _historical_response():
    # Reading Response.history builds a manager class each time (simple-history's descriptor).
    return Response.history.model


def answer_history_record(response: Response, user) -> None:
    """Write (or merge into the latest) history row of a saved answer, as simple-history's
    bulk_history_create builds it (the conditional UPDATE sends no signal). On PostgreSQL it is one
    statement, like the single INSERT it replaces: the answer save is the busiest write of the app.
    The row is written just after the UPDATE, in the same transaction when there is one."""
    if not getattr(settings, "SIMPLE_HISTORY_ENABLED", True):
        return
    model = _historical_response()
    now = timezone.now()
    tracked = {field.column: getattr(response, field.attname) for field in model.tracked_fields}
    user_id = getattr(user, "pk", None)
    since = now - timedelta(seconds=SETTLE_SECONDS)
    if connection.vendor == "postgresql":
        _merge_or_insert_postgresql(model, tracked, user_id, now, since)
        return
    latest = (
        model.objects.filter(id=OuterRef("id"))
        .order_by("-history_date", "-history_id")
        .values("history_id")[:1]
    )
    merged = model.objects.filter(
        id=response.pk,
        history_id=Subquery(latest),
        history_user_id=user_id,
        history_type="~",
        history_date__gte=since,
    ).update(history_date=now, **{f.attname: getattr(response, f.attname) for f in model.tracked_fields})
    if not merged:
        model(
            history_date=now,
            history_user_id=user_id,
            history_change_reason="",
            history_type="~",
            **{f.attname: getattr(response, f.attname) for f in model.tracked_fields},
        ).save(force_insert=True)


def _merge_or_insert_postgresql(model, tracked: dict, user_id, now, since) -> None:
    table = connection.ops.quote_name(model._meta.db_table)
    quote = connection.ops.quote_name
    columns = list(tracked)
    assignments = ", ".join(f"{quote(c)} = %s" for c in columns if c != "id")
    history_columns = ["history_date", "history_user_id", "history_change_reason", "history_type"]
    insert_columns = ", ".join([quote(c) for c in columns] + history_columns)
    placeholders = ", ".join(["%s"] * (len(columns) + 4))
    sql = f"""
        WITH latest AS (
            SELECT history_id, history_user_id, history_type, history_date FROM {table}
            WHERE id = %s ORDER BY history_date DESC, history_id DESC LIMIT 1
        ), merged AS (
            UPDATE {table} SET history_date = %s, {assignments}
            FROM latest
            WHERE {table}.history_id = latest.history_id
              AND latest.history_user_id IS NOT DISTINCT FROM %s
              AND latest.history_type = '~' AND latest.history_date >= %s
            RETURNING {table}.history_id
        )
        INSERT INTO {table} ({insert_columns})
        SELECT {placeholders} WHERE NOT EXISTS (SELECT 1 FROM merged)
    """
    params = [tracked["id"], now, *[tracked[c] for c in columns if c != "id"], user_id, since]
    params += [*tracked.values(), now, user_id, "", "~"]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
