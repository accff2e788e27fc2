"""Writes of the registers: create, edit (optimistic locking) and delete, the same for every register.

Forms hand their cleaned data here; many-to-many fields are set after the row is saved. The
database constraints (one actual per target and month, unique names) are checked by full_clean
first, so a clash is a form error, never a 500.
"""

from __future__ import annotations

from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext_noop

from kernel.concurrency import lock_for_edit
from projects import activity
from projects.services import activity_record

from .kinds import Kind
from .models import ActualSource, ClimateRelevance, ContextDetermination, SlaActual, SlaTarget, meets


def _split(kind: Kind, data: dict) -> tuple[dict, dict]:
    data = dict(data)
    data.pop("version", None)
    many = {name: data.pop(name) for name in kind.m2m if name in data}
    return data, many


def _derive(obj, *, user) -> None:
    """Fields the register works out itself: met or missed from the target; who recorded a figure."""
    if isinstance(obj, SlaActual):
        obj.met = meets(obj.value, obj.target.target, obj.target.direction)
    if hasattr(obj, "recorded_by_id") and obj.recorded_by_id is None:
        obj.recorded_by = user


ACTIVITY_MESSAGES = {
    "added": gettext_noop("%(noun)s %(entry)s added"),
    "edited": gettext_noop("%(noun)s %(entry)s edited"),
    "deleted": gettext_noop("%(noun)s %(entry)s deleted"),
}


def _activity(project, user, verb: str, kind: Kind, obj, *, url: bool = True) -> None:
    if project is not None:
        activity_record(
            project=project,
            actor=user,
            verb=f"{kind.noun_en} {verb}",
            message=ACTIVITY_MESSAGES[verb],
            values={"noun": activity.nested(kind.noun, capfirst=True), "entry": str(obj)},
            url=obj.get_absolute_url() if url and hasattr(obj, "get_absolute_url") else "",
        )


@transaction.atomic
def entry_create(*, kind: Kind, project, parent=None, data: dict, user, log: bool = True):
    fields, many = _split(kind, data)
    obj = kind.model(**fields)
    if kind.parent:
        setattr(obj, kind.parent_field, parent)
    else:
        obj.project = project
    _derive(obj, user=user)
    obj.full_clean()
    obj._history_user = user
    obj.save()
    for name, values in many.items():
        getattr(obj, name).set(values)
    if log:
        _activity(project, user, "added", kind, obj)
    return obj


@transaction.atomic
def entry_update(*, kind: Kind, project, obj, data: dict, expected_version: int, user):
    """Save an edit unless someone saved in between (EditConflict, with what they saved)."""
    current = lock_for_edit(kind.model, obj.pk, expected_version=expected_version)
    fields, many = _split(kind, data)
    for name, value in fields.items():
        setattr(current, name, value)
    if isinstance(current, SlaActual) and "value" in fields:
        current.source = ActualSource.MANUAL  # a hand correction of a computed figure is a hand figure
    _derive(current, user=user)
    current.version += 1
    current.full_clean()
    current._history_user = user
    current.save()
    for name, values in many.items():
        getattr(current, name).set(values)
    if isinstance(current, SlaTarget):
        _recompute_met(current)
    _activity(project, user, "edited", kind, current)
    return current


def _recompute_met(target: SlaTarget) -> None:
    """A changed target re-judges its recorded months (a bulk update: the history keeps the edit of
    the target itself)."""
    if target.direction == "at_least":
        target.actuals.filter(value__gte=target.target).update(met=True)
        target.actuals.filter(value__lt=target.target).update(met=False)
    else:
        target.actuals.filter(value__lte=target.target).update(met=True)
        target.actuals.filter(value__gt=target.target).update(met=False)


@transaction.atomic
def entry_delete(*, kind: Kind, project, obj, user) -> None:
    obj._history_user = user
    _activity(project, user, "deleted", kind, obj, url=False)
    obj.delete()


@transaction.atomic
def determination_save(*, project, data: dict, expected_version: int | None, user) -> ContextDetermination:
    """Create the project's context determination, or edit it with optimistic locking."""
    existing = ContextDetermination.objects.filter(project=project).first()
    if existing is None:
        current = ContextDetermination(project=project)
    else:
        current = lock_for_edit(ContextDetermination, existing.pk, expected_version=expected_version)
        current.version += 1
    for name, value in data.items():
        setattr(current, name, value)
    current.full_clean()
    current._history_user = user
    current.save()
    activity_record(
        project=project,
        actor=user,
        verb="context reviewed",
        message=gettext_noop("Context determination saved (climate change: %(climate_change)s)"),
        values={"climate_change": activity.choice(ClimateRelevance, current.climate_change, lower=True)},
        url=current.get_absolute_url(),
    )
    return current


@transaction.atomic
def actual_record(
    *, target: SlaTarget, month, value, source=ActualSource.COMPUTED, note: str = "", user=None
):
    """Record (or replace) the figure of one month: the entry point for a connector that computes
    actuals. A figure entered by hand is never overwritten by a computed one."""
    actual = SlaActual.objects.select_for_update().filter(target=target, month=month).first()
    if actual is not None and actual.source == ActualSource.MANUAL and source == ActualSource.COMPUTED:
        return actual
    if (
        actual is not None
        and actual.source == source
        and actual.value == Decimal(str(value))
        and (not note or actual.note == note)
    ):
        return actual  # the same figure again (a re-freeze, the daily sweep): no new version or history
    if actual is None:
        actual = SlaActual(target=target, month=month)
    else:
        actual.version += 1
    actual.value, actual.source, actual.note = value, source, note or actual.note
    actual.met = meets(value, target.target, target.direction)
    if user is not None and actual.recorded_by_id is None:
        actual.recorded_by = user
    actual.full_clean()
    actual._history_user = user
    actual.save()
    return actual
